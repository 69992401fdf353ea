"""The seeded templates say "全部结束" / "每名……均形成了调研报告" when nobody is left, as the
articles do, with the ``{metric|zero|other}`` placeholder. Only the seeded sentence is replaced,
so a template the office has edited elsewhere keeps its edits; one whose sentence was rewritten is
left alone."""

from django.db import migrations

CHANGES = {
    "special": (
        "党委(党组)书记讲专题党课,尚未讲的{lectures.secretaries_without_lecture}人,",
        "党委(党组)书记讲专题党课{lectures.secretaries_without_lecture|全部结束|尚未讲完,还有#人未讲},",
    ),
    "themed": (
        "处级领导干部中尚未形成调研报告的{research.leaders_without_report}人。",
        "{research.leaders_without_report|每名处级领导干部均形成了调研报告|处级领导干部中尚未形成调研报告的#人}。",
    ),
}


def _apply(apps, forward: bool) -> None:
    BulletinTemplate = apps.get_model("reports", "BulletinTemplate")
    for kind, (old, new) in CHANGES.items():
        if not forward:
            old, new = new, old
        for t in BulletinTemplate.objects.filter(kind=kind, body__contains=old):
            t.body = t.body.replace(old, new)
            t.save(update_fields=["body"])


def forward(apps, schema_editor):
    _apply(apps, True)


def backward(apps, schema_editor):
    _apply(apps, False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
