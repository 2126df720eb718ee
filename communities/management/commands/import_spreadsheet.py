"""Import residents, organizations or the positions of places (compounds and buildings) of
a community from an .xlsx or .csv file:

manage.py import_spreadsheet residents|organizations|places <community area code> <file>
    [--dry-run]
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities import spreadsheets
from communities.models import Community

KINDS = {
    "residents": (spreadsheets.RESIDENT_COLUMNS, spreadsheets.import_residents),
    "organizations": (spreadsheets.ORGANIZATION_COLUMNS, spreadsheets.import_organizations),
    "places": (spreadsheets.PLACE_COLUMNS, spreadsheets.import_places),
}


class Command(BaseCommand):
    help = "Import residents, organizations or places of a community from a spreadsheet."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("area_code", help="The community's 12-digit area code.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *, kind, area_code, file, dry_run, **options):
        try:
            community = Community.objects.get(area_code=area_code)
        except Community.DoesNotExist:
            raise CommandError(f"No community with area code {area_code}.") from None
        columns, run = KINDS[kind]
        started = time.monotonic()
        with file.open("rb") as handle:
            try:
                rows = spreadsheets.read_rows(handle, columns)
            except spreadsheets.ImportFileError as error:
                raise CommandError(str(error)) from None
        result = run(actor=None, community=community, rows=rows, commit=not dry_run)
        elapsed = time.monotonic() - started
        for error in result.errors:
            self.stderr.write(f"row {error.row}, {error.column}: {error.reason}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} problems; nothing was imported.")
        self.stdout.write(
            f"{len(result.created)} added, {len(result.updated)} changed, "
            f"{len(result.unchanged)} unchanged in {elapsed:.1f} s"
            + (" (dry run: nothing written)" if dry_run else "")
        )
