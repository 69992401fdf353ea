from django.conf import settings
from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    """Existing accounts start their password's age at the migration (not expired at once)."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    PasswordRecord = apps.get_model("accounts", "PasswordRecord")
    now = timezone.now()
    PasswordRecord.objects.bulk_create(
        [PasswordRecord(user_id=pk, changed_at=now) for pk in User.objects.exclude(password__startswith="!").values_list("pk", flat=True)]
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
