"""The issue's place on one line (`address`), and the trigram indexes that find issues by
a few characters of their title, description, place or 12345 ticket (lib.textsearch)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Trim

SEARCHED = {
    "title": "issue_title_trgm",
    "description": "issue_description_trgm",
    "address": "issue_address_trgm",
    "hotline_ticket": "issue_ticket_trgm",
}


def fill_addresses(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")

    def name(model):
        related = apps.get_model("communities", model)
        rows = related.objects.filter(pk=OuterRef(f"{model.lower()}_id")).values("name")
        return Coalesce(Subquery(rows), Value(""))

    where = Concat(name("Compound"), name("Building"), name("Unit"))
    Issue.objects.update(address=Trim(Concat(where, Value(" "), "place_text")))


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column, index in SEARCHED.items():
        # What Django's icontains writes, UPPER(col::text) LIKE …, is what the index holds.
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "issues_issue" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCHED.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_drop_indexes_covered_by_composites"),
        ("issues", "0006_events_into_timeline"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="address",
            field=models.CharField(
                blank=True, editable=False, max_length=300, verbose_name="address"
            ),
        ),
        migrations.RunPython(fill_addresses, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
