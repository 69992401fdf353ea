"""Helpers of the page tests: post an action form as the page would, snapshot a problem."""

from typing import Any

from django.urls import reverse

from minqing.ledger.enums import Action
from minqing.ledger.models import Feedback, Problem, ProblemEvent
from minqing.ledger.services.workflow import problem_transition

REPORTER_NAME = "王大妈"
REPORTER_PHONE = "13900001111"


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def act_url(problem: Problem, action: str) -> str:
    return reverse("ledger:act", args=[problem.number, action])


def post_act(client: Any, problem: Problem, action: str, version: int | None = None, **fields: Any) -> Any:
    problem.refresh_from_db()
    data = {f"{action}-expected_version": problem.version if version is None else version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(act_url(problem, action), data)


def snapshot(problem: Problem) -> tuple[Any, ...]:
    """What must not change when a request is denied."""
    p = Problem.objects.get(pk=problem.pk)
    return (
        p.state,
        p.version,
        p.responsible_unit_id,
        p.owner_id,
        p.claimed_by_id,
        p.due_date,
        ProblemEvent.objects.filter(problem=p).count(),
        Feedback.objects.filter(problem=p).count(),
    )


def assigned_problem(lw: Any, unit_key: str = "town_a", resp_key: str = "town_a") -> Problem:
    """A problem reported (with name and phone) about ``unit_key``, assigned to ``resp_key``."""
    p = lw.submit(unit_key=unit_key).problem
    return problem_transition(
        actor=lw.users["county_office"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u[resp_key]
    )
