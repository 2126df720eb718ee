"""Periodic sweeps of meetings (see meetings/reminders.py). Tasks take no objects and are
safe to run twice."""

from celery import shared_task

from . import reminders


@shared_task
def sweep_meeting_reminders() -> int:
    return reminders.meeting_reminders()


@shared_task
def sweep_meetings_not_closed() -> int:
    return reminders.meetings_not_closed()


@shared_task
def sweep_fixed_meetings() -> int:
    return reminders.monthly_council() + reminders.party_building_joint()
