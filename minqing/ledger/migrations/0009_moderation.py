"""Moderation of the published list (issue 14, part 3).

A problem reaches the public list only once staff have checked it (``Problem.moderation``), and
an event's note is public only when its author ticked 公开 (``ProblemEvent.note_public``).

Existing rows: a problem already on the public list stays there, as checked (approved); one
kept off it stays off, as kept private; both dated their registration. Of the existing events,
only the notes written as public notes (备注 ticked 公开, Open311 updates) stay public: the notes of
other steps were published without their author choosing it, so only their step stays on the
public timeline.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def moderate_existing(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    ProblemEvent = apps.get_model("ledger", "ProblemEvent")
    at = F("registered_at")
    Problem.objects.filter(is_public=True).update(moderation="approved", moderation_at=at)
    Problem.objects.filter(is_public=False).update(moderation="private", moderation_at=at)
    ProblemEvent.objects.filter(public=True, action="note").exclude(note="").update(note_public=True)


def back(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    # before moderation a problem was public unless kept off: a pending one was not yet published
    Problem.objects.filter(moderation="pending").update(is_public=False)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_bulletin_notes"),
        ("ledger", "0008_resident_rating"),
        ("orgs", "0006_application_scopes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="problem",
            name="moderation",
            field=models.CharField(
                choices=[("pending", "待审核公开"), ("approved", "已审核公开"), ("private", "不公开")],
                default="pending",
                max_length=10,
                verbose_name="公开审核",
            ),
        ),
        migrations.AddField(
            model_name="problem",
            name="moderation_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="审核时间"),
        ),
        migrations.AddField(
            model_name="problem",
            name="public_text",
            field=models.TextField(blank=True, verbose_name="公开内容"),
        ),
        migrations.AddField(
            model_name="problem",
            name="public_title",
            field=models.CharField(blank=True, max_length=200, verbose_name="公开标题"),
        ),
        migrations.AddField(
            model_name="problemevent",
            name="note_public",
            field=models.BooleanField(default=False, verbose_name="说明公开"),
        ),
        migrations.RunPython(moderate_existing, back),
        migrations.AlterField(
            model_name="problem",
            name="is_public",
            field=models.BooleanField(default=False, verbose_name="公开晒出"),
        ),
        migrations.AlterField(
            model_name="problemevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("register", "登记"),
                    ("assign", "交办"),
                    ("accept", "受理"),
                    ("return", "退回"),
                    ("claim", "领导认领"),
                    ("start", "开始整改"),
                    ("request_extension", "申请延期"),
                    ("grant_extension", "批准延期"),
                    ("deny_extension", "不批准延期"),
                    ("resolve", "办结"),
                    ("close", "核实销号"),
                    ("callback", "回访"),
                    ("reopen", "重新整改"),
                    ("merge", "合并"),
                    ("note", "备注"),
                    ("overdue", "逾期"),
                    ("escalate", "上报上级"),
                    ("moderate", "公开审核"),
                ],
                max_length=20,
                verbose_name="动作",
            ),
        ),
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(fields=["moderation", "moderation_at"], name="ledger_problem_moderation"),
        ),
        migrations.AddConstraint(
            model_name="problem",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_public", False), ("moderation", "approved"), _connector="OR"),
                name="ledger_problem_public_checked",
            ),
        ),
    ]
