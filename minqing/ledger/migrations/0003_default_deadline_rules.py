"""The default deadline rules (minqing.ledger.rules_seed), counted in working days."""

from django.db import migrations


def forwards(apps, schema_editor):
    from minqing.ledger.rules_seed import seed_rules

    seed_rules(apps.get_model("ledger", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_deadline_jobs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
