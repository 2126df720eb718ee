"""The beat schedule, in one place. `manage.py sync_schedules` writes these entries into
django-celery-beat's tables when they are missing; after that, admins change the times in
the admin (Periodic tasks) and a restart does not overwrite them.

Every entry says when it runs and why. Crontab fields are in Asia/Shanghai time.
"""

# name: (task, crontab fields or {"every_minutes": n}, description)
SCHEDULE = {}
