from django.db import migrations

from qorgau.reference.loading import load_vocabularies


def load(apps, schema_editor):
    """Adds the referral reasons Qorgau needs beyond HTCDS (shelter, medical, legal aid …)."""
    load_vocabularies(apps.get_model("reference", "Term"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_load_calendar")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
