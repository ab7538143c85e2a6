from django.db import migrations

from qorgau.reference.loading import load_regions, load_vocabularies


def load(apps, schema_editor):
    load_regions(apps.get_model("reference", "Region"))
    load_vocabularies(apps.get_model("reference", "Term"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
