from django.db import migrations

from qorgau.screening import triggers


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(triggers.install, triggers.uninstall)]
