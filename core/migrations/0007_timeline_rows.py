"""A lifecycle move written before the one timeline kept its statuses in its changes: they
move to from and to. A meeting's minutes finalised get their own code ("close" now means
an issue closed). Apart from 0006, so that no schema change waits on these rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meeting = ContentType.objects.filter(app_label="meetings", model="meeting").first()
    if meeting is not None:
        AuditEntry.objects.filter(content_type=meeting, action="close").update(action="finalise")
    moved = []
    for row in AuditEntry.objects.filter(changes__has_key="status").iterator(chunk_size=2000):
        values = row.changes.pop("status")
        if isinstance(values, list) and len(values) == 2:
            row.from_status, row.to_status = (str(v) for v in values)
        else:
            row.changes["status"] = values
        moved.append(row)
        if len(moved) >= 2000:
            AuditEntry.objects.bulk_update(moved, ["from_status", "to_status", "changes"])
            moved = []
    AuditEntry.objects.bulk_update(moved, ["from_status", "to_status", "changes"])


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meeting = ContentType.objects.filter(app_label="meetings", model="meeting").first()
    if meeting is not None:
        AuditEntry.objects.filter(content_type=meeting, action="finalise").update(action="close")
    rows = []
    for row in AuditEntry.objects.exclude(to_status="").iterator(chunk_size=2000):
        row.changes["status"] = [row.from_status, row.to_status]
        rows.append(row)
    AuditEntry.objects.bulk_update(rows, ["changes"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_timeline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
