"""The beat schedule, in one place. `manage.py sync_schedules` writes these entries into
django-celery-beat's tables when they are missing; after that, admins change the times in
the admin (Periodic tasks) and a restart does not overwrite them.

Every entry says when it runs and why. Crontab fields are in Asia/Shanghai time.
"""

# name: (task, crontab fields or {"every_minutes": n}, description)
SCHEDULE = {
    "reports-monthly-snapshots": (
        "reports.tasks.compute_monthly_snapshots",
        {"minute": "30", "hour": "1", "day_of_month": "1"},
        "On the 1st at 01:30, store last month's report of every community and street and "
        "send the street admins a link.",
    ),
}
