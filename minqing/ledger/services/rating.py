"""The reporter judges a resolution (issue 14 part 5): fixed or not, 满意 / 基本满意 / 不满意.

One rule, not two: the rating goes through the staff's callback (回访) transition as ``SYSTEM``,
so 不满意 reopens the problem exactly as an unsatisfied call-back does (整改中 again, a 重新整改
event, the responsible unit told), and 满意 / 基本满意 closes it. The comment stays with the
rating (staff see it on the problem's page), never on the public timeline: a resident may have
written personal details into it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.enums import Action, Satisfaction, State
from minqing.ledger.models import Feedback, Problem, ResidentRating
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM

RATABLE_STATES = (State.RESOLVED, State.CLOSED)


def can_rate(feedback: Feedback, problem: Problem) -> bool:
    """The problem is resolved (or closed after a resolution) and this reporter has not yet
    judged this resolution."""
    if problem.state not in RATABLE_STATES or problem.resolved_at is None:
        return False
    return not ResidentRating.objects.filter(feedback=feedback, resolved_at=problem.resolved_at).exists()


def resident_rate(*, feedback: Feedback, fixed: bool, satisfaction: str, comment: str = "") -> ResidentRating:
    if satisfaction not in Satisfaction.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="satisfaction", value=satisfaction)
    if not fixed and satisfaction != Satisfaction.UNSATISFIED:
        raise DomainError(ErrorCode.RATING_REJECTED_SATISFIED)
    if feedback.problem_id is None:
        raise DomainError(ErrorCode.TRACKING_CODE_UNKNOWN)
    problem = Problem.objects.get(pk=feedback.problem_id)
    if problem.state not in RATABLE_STATES or problem.resolved_at is None:
        raise DomainError(ErrorCode.RATING_NOT_RESOLVED)
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = ResidentRating.objects.create(
                feedback=feedback,
                problem=problem,
                resolved_at=problem.resolved_at,
                fixed=fixed,
                satisfaction=satisfaction,
                comment=comment.strip()[:2000],
                at=now,
            )
            problem_transition(
                actor=SYSTEM,
                problem=problem,
                action=Action.CALLBACK,
                expected_version=problem.version,
                at=now,
                satisfaction=satisfaction,
                by="reporter",
            )
    except IntegrityError as err:
        raise DomainError(ErrorCode.RATING_DONE) from err
    return rating
