from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.hotline import hotline_import
from issues.models import Category
from lib.errors import DomainError


class Command(BaseCommand):
    help = "Import a 12345 hotline platform daily export (.xlsx) as hotline issues."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="Username of the staff importing.")
        parser.add_argument("--category", required=True, help="Code of the issues' category.")

    def handle(self, *args, path, user, category, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        found = Category.objects.filter(code=category, is_active=True).first()
        if found is None:
            raise CommandError(f"No active category {category!r}.")
        try:
            with open(path, "rb") as handle:
                report = hotline_import(actor=actor, data=handle.read(), category=found)
        except OSError as error:
            raise CommandError(str(error)) from None
        except DomainError as error:
            raise CommandError(str(error)) from None
        for name, tickets in report.as_dict().items():
            self.stdout.write(f"{name}: {len(tickets)} {' '.join(tickets)}".rstrip())
