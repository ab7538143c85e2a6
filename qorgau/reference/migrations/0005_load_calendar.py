from django.db import migrations

from qorgau.reference.loading import load_calendar


def load(apps, schema_editor):
    load_calendar(apps.get_model("reference", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_calendar_day")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
