from django.db import migrations

from minqing.ledger.taxonomy import load_shipped


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_default_deadline_rules")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
