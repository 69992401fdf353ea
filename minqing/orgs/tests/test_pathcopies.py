"""Every copied unit path is registered, so a moved unit keeps every app's copies right."""

from django.apps import apps
from django.db import models

from minqing.orgs.pathcopies import registered

# the tree itself; the activity rollups rebuild on a move; the problem rollup follows the problems'
# rewritten paths through its triggers (each rewritten problem names its old and new bucket), the
# visit counters the visits' (test_visit_day_counts: a moved unit takes its visits along)
NOT_COPIES = {
    "orgs.Unit",
    "activities.ActivityRollup",
    "ledger.ProblemRollup",
    "ledger.ProblemRollupBucket",
    "ledger.ProblemRollupChange",
    "activities.VisitDayCount",
}


def test_every_path_copy_is_registered() -> None:
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in NOT_COPIES or not label.startswith(
            ("orgs.", "campaigns.", "ledger.", "activities.", "supervision.", "programmes.", "catalogues.")
        ):
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.CharField) and (f.name == "path" or f.name.endswith("_path")):
                found.setdefault(label, set()).add(f.name)
    reg = registered()
    missing = {label: names - set(reg.get(label, ())) for label, names in found.items()}
    assert {k: v for k, v in missing.items() if v} == {}
    assert "activities.Attendance" in found  # the scan does see the copies
