from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Create the periodic tasks of config/schedule.py that are missing (never overwrites)."

    def handle(self, *args, **options):
        created = 0
        for name, (task, when, description) in SCHEDULE.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            if "every_minutes" in when:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=when["every_minutes"], period=IntervalSchedule.MINUTES
                )
                schedule = {"interval": interval}
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=when.get("minute", "0"),
                    hour=when.get("hour", "*"),
                    day_of_week=when.get("day_of_week", "*"),
                    day_of_month=when.get("day_of_month", "*"),
                    month_of_year=when.get("month_of_year", "*"),
                    timezone=settings.TIME_ZONE,
                )
                schedule = {"crontab": crontab}
            PeriodicTask.objects.create(name=name, task=task, description=description, **schedule)
            created += 1
        self.stdout.write(f"Schedules: {created} created, {len(SCHEDULE) - created} kept.")
