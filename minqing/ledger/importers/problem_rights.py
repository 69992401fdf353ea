"""What a user (``minqing import problems --user``) may import: what the workflow would let them do.

A row's unit is checked against the user's intake scope as it is read (``ProblemFileCheck``);
for each new row this module adds: the responsible unit is one the user could assign to (the
``ASSIGN`` transition's roles on that unit), the claiming leader is a person in the user's
scope and only the office records another person's claim (a leader claims for himself, in the
workflow), and every step the importer replays to reach the row's 状态 (``problem_write.steps``)
is allowed to the user's roles as ``workflow.permitted`` decides it. ``SYSTEM`` and superusers
hold every role everywhere, so every row passes for them, as before.
"""

from dataclasses import replace

from minqing.core.errors import ErrorCode
from minqing.core.importing.rows import RowCheck
from minqing.ledger.enums import Action
from minqing.ledger.importers.problem_write import Candidate, steps
from minqing.ledger.models import Problem
from minqing.ledger.problem_format import words
from minqing.ledger.services.workflow import TRANSITIONS, permitted
from minqing.orgs import policy
from minqing.orgs.actors import is_unrestricted

# who may record a claim made by another person (a leader's claim, written down by the office)
CLAIM_RECORDERS = policy.OFFICE


def _as_problem(c: Candidate) -> Problem:
    """The row as an unsaved problem, for the workflow's checks. Without a responsible unit (a
    returned row: the unit that returned it is not in the file), the problem's own unit stands
    in for it."""
    responsible = c.responsible or c.unit
    return Problem(path=c.unit.path, responsible_path=responsible.path)


def check_rights(check: RowCheck, c: Candidate) -> None:
    """Add an issue for each thing in the row the actor could not have done through the workflow."""
    actor = check.actor
    if is_unrestricted(actor):
        return
    row, v = c.row, c.values
    if c.responsible is not None and not policy.has_role(
        actor, TRANSITIONS[Action.ASSIGN].roles, c.responsible.path
    ):
        check.add(row, "responsible_unit_code", v.responsible_unit_code, ErrorCode.PERMISSION_DENIED)
    problem = _as_problem(c)
    if c.claimed_by is not None:
        if not policy.has_role(actor, policy.ANY_ROLE, c.claimed_by.path):
            check.add(row, "claimed_by", v.claimed_by, ErrorCode.PERMISSION_DENIED)
        elif not permitted(actor, problem, replace(TRANSITIONS[Action.CLAIM], roles=CLAIM_RECORDERS)):
            check.add(row, "claimed_by", v.claimed_by, ErrorCode.TRANSITION_ROLE, action=Action.CLAIM.label)
    for step in steps(c):
        if step.action == Action.CLAIM:
            continue  # checked above
        action = Action(step.action)
        if not permitted(actor, problem, TRANSITIONS[action]):
            check.add(row, "state", words("state")[v.state], ErrorCode.TRANSITION_ROLE, action=action.label)
            break
