"""Store the missing monthly snapshots of past months (after importing history)."""

from django.core.management.base import BaseCommand

from reports.services import snapshots_backfill


class Command(BaseCommand):
    help = (
        "Store the report snapshot of each of the last N finished months for every community "
        "and street that has none (the monthly task stores only last month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12, help="How many months back (12).")

    def handle(self, *args, months, **options):
        created = snapshots_backfill(months=months)
        self.stdout.write(self.style.SUCCESS(f"{created} snapshots stored."))
