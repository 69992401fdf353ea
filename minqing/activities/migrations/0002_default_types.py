from django.db import migrations

from minqing.activities.types_seed import load_default_types


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(load_default_types, migrations.RunPython.noop)]
