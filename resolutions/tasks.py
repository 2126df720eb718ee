"""Periodic sweeps of resolutions and action items. Tasks take no objects, derive what is
due from the database and are safe to run twice (see resolutions/reminders.py)."""

from celery import shared_task

from . import reminders


@shared_task
def sweep_action_items() -> int:
    return reminders.action_item_deadlines() + reminders.action_item_overdue()


@shared_task
def sweep_evaluations() -> int:
    return reminders.evaluation_requests()


@shared_task
def sweep_publications() -> int:
    return reminders.publication_ending()


@shared_task
def sweep_revisits() -> int:
    return reminders.revisits_due()


@shared_task
def close_issues_due() -> int:
    from .services import issues_close_due

    return issues_close_due()


@shared_task
def send_outcome(resolution_id: int) -> int:
    """A published resolution to its issue's reporter and parties (resolutions.outreach).
    Keyed per person: run twice, it sends nothing twice."""
    from .models import Resolution
    from .outreach import outcome_send

    resolution = Resolution.objects.filter(pk=resolution_id).first()
    return outcome_send(resolution=resolution) if resolution is not None else 0
