from celery import shared_task

from .services import monthly_snapshots_compute


@shared_task
def compute_monthly_snapshots() -> int:
    """On the 1st: last month's report for every community and street, stored and linked
    to the street admins. Months already stored are left as published."""
    return len(monthly_snapshots_compute())
