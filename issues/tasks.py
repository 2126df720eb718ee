"""Periodic sweeps of issue time limits and monthly visits (see issues/reminders.py).
Tasks take no objects and are safe to run twice."""

from celery import shared_task

from . import reminders


@shared_task
def sweep_issue_deadlines() -> int:
    return reminders.issue_deadlines()


@shared_task
def sweep_special_group_visits() -> int:
    return reminders.special_group_visits()
