import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("issues", "0008_name_existing_patrols")]

    operations = [
        migrations.AlterField(
            model_name="patrol",
            name="client_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="client id"
            ),
        ),
    ]
