from django.core.management.base import BaseCommand

from core.schedules import sync


class Command(BaseCommand):
    help = (
        "Write the periodic tasks of config/schedule.py: create the missing ones; never undo "
        "a pause or a time an admin set (core.schedules.sync)."
    )

    def handle(self, *args, **options):
        created, updated, kept = sync()
        self.stdout.write(f"Schedules: {created} created, {updated} updated, {kept} kept.")
