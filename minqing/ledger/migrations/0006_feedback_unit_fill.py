"""Every feedback item remembers the unit it concerns as submitted (issue 16, finding 1).

Who may see a reporter is decided per item by ``Feedback.unit``; a row that has none takes the
unit of the problem it is attached to today.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_feedback_unit(apps, schema_editor):
    Feedback = apps.get_model("ledger", "Feedback")
    Problem = apps.get_model("ledger", "Problem")
    unit_of_problem = Problem.objects.filter(pk=OuterRef("problem_id")).values("unit_id")[:1]
    Feedback.objects.filter(unit__isnull=True, problem__isnull=False).update(unit_id=Subquery(unit_of_problem))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_problem_count_indexes")]

    operations = [migrations.RunPython(fill_feedback_unit, migrations.RunPython.noop)]
