"""What a denied or failed write must leave as it was."""

from minqing.core.models import AuditEvent
from minqing.ledger.models import Problem, ProblemEvent
from minqing.supervision.models import Finding, GroupMember, GroupUnit, GuidanceGroup, Inspection


def snapshot() -> dict[str, object]:
    return {
        "groups": sorted(GuidanceGroup.objects.values_list("id", "name")),
        "members": sorted(GroupMember.objects.values_list("group_id", "name", "role")),
        "units": sorted(GroupUnit.objects.values_list("group_id", "unit_id")),
        "inspections": Inspection.objects.count(),
        "findings": Finding.objects.count(),
        "problems": Problem.objects.count(),
        "events": ProblemEvent.objects.count(),
        # sign-ins and refusals (403) are audited too: not a change
        "audit": AuditEvent.objects.exclude(
            action__in=[AuditEvent.Action.LOGIN, AuditEvent.Action.ACCESS_DENIED]
        ).count(),
    }
