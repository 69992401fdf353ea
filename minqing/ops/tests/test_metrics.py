"""``/metrics``: who may read it, the Prometheus text format, and figures that are the records'."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minqing.ledger.enums import Channel
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import feedback_submit
from minqing.ledger.tests.conftest import lw as lw  # the ledger's world: units and staff
from minqing.orgs.actors import SYSTEM

URL = reverse("metrics")
pytestmark = pytest.mark.django_db


def samples(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_from_this_machine_in_prometheus_text_format(lw: Any) -> None:
    for title in ("路灯不亮", "水管破裂"):
        feedback_submit(
            actor=SYSTEM, channel=Channel.ONLINE, title=title, content=title, unit=lw.u["village_a"]
        )
    response = Client(REMOTE_ADDR="127.0.0.1").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    for line in text.splitlines():  # every line a comment or `name{labels} value`
        assert line.startswith("# ") or re.fullmatch(r'[a-z_]+(\{[a-z_]+="[^"]*"\})? \S+', line), line
    got = samples(text)
    assert got["minqing_up"] == 1 and got["minqing_database_up"] == 1
    assert got["minqing_replica_configured"] == 0
    for state in set(Problem.objects.values_list("state", flat=True)):
        expected = Problem.objects.filter(state=state).count()
        assert got[f'minqing_problems{{state="{state}"}}'] == expected > 0
    assert "minqing_jobs_pending" in got


def test_refused_from_elsewhere_and_through_a_proxy(db: Any) -> None:
    assert Client(REMOTE_ADDR="10.1.2.3").get(URL).status_code == 403
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get(URL).status_code == 403


def test_with_a_token_only_the_token_opens_it(db: Any, settings: Any) -> None:
    settings.MINQING_METRICS_TOKEN = "s3cret-scrape-token"
    assert Client(REMOTE_ADDR="127.0.0.1").get(URL).status_code == 403
    wrong = Client(REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.get(URL).status_code == 403
    right = Client(REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert right.get(URL).status_code == 200
