"""feedback_submit: idempotency under a race, and merging only into a problem the clerk can see."""

from unittest import mock

import pytest

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.enums import Channel
from minqing.ledger.models import Feedback, Problem
from minqing.ledger.services import intake
from minqing.ledger.services.intake import feedback_submit
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _submit(lw, **kw):
    return feedback_submit(
        actor=kw.pop("actor", SYSTEM),
        channel=Channel.ONLINE,
        title="路灯不亮",
        content="村口路灯坏了",
        unit=lw.u["village_a"],
        **kw,
    )


def test_a_key_that_wins_a_race_elsewhere_returns_the_winner(lw) -> None:
    first = _submit(lw, idempotency_key="k-1")
    # the pre-check misses (as when the other request commits between check and insert)
    with mock.patch.object(intake.Feedback.objects, "filter", return_value=Feedback.objects.none()):
        again = _submit(lw, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Feedback.objects.count() == 1
    assert Problem.objects.count() == 1


def test_merge_into_a_problem_out_of_scope_is_refused(lw) -> None:
    other = feedback_submit(
        actor=SYSTEM, channel=Channel.ONLINE, title="b", content="b", unit=lw.u["village_b"]
    ).problem
    with pytest.raises(DomainError) as err:
        _submit(lw, actor=lw.users["a_staff"], merge_into=other)
    assert err.value.code is ErrorCode.PERMISSION_DENIED
    assert Feedback.objects.count() == 1
