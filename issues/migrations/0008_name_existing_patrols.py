import uuid

from django.db import migrations


def name_existing_patrols(apps, schema_editor):
    Patrol = apps.get_model("issues", "Patrol")
    for pk in Patrol.objects.filter(client_id__isnull=True).values_list("pk", flat=True):
        Patrol.objects.filter(pk=pk).update(client_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("issues", "0007_positions_and_offline_patrols")]

    operations = [migrations.RunPython(name_existing_patrols, migrations.RunPython.noop)]
