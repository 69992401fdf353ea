"""An Open311 client nobody on the team wrote, driven unmodified against a live server: the
``civicbot`` package from PyPI (``civicbot.open311.Open311Client``, GeoReport v2 over stdlib HTTP).
It has services, service definitions, POST requests (with its own checks against the
definition), GET requests, GET one request and tokens; it has no servicerequestupdates calls, so
those go through its own HTTP transport (``HttpTransport.get_json`` / ``post_form``)."""

from typing import Any

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client, ValidationError
from civicbot.registry import Endpoint

from minqing.ledger.enums import Action, State
from minqing.ledger.models import FeedbackIdentity, Problem
from minqing.ledger.services.moderation import problem_moderate
from minqing.ledger.services.workflow import problem_transition
from minqing.open311.tests.helpers import attributes_of_every_type, make_app, taxonomy
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(live_server: Any) -> dict[str, Any]:
    tree = small_tree()
    cats = taxonomy()
    attributes_of_every_type(cats["pothole"])
    endpoint = Endpoint(id="minqing", name="民情", base_url=f"{live_server.url}/open311/v2", write=True)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    client = Open311Client(endpoint, transport=transport, jurisdiction_id=tree["county"].code)
    return {
        "tree": tree,
        "cats": cats,
        "client": client,
        "transport": transport,
        "base": endpoint.base_url,
        "key": make_app(tree["county"]),
        "handler_key": make_app(tree["town_b"], roles=(Role.UNIT_STAFF,)),
    }


def test_the_civicbot_client_files_and_reads_requests(setup: dict[str, Any]) -> None:
    client: Open311Client = setup["client"]
    code = str(setup["cats"]["pothole"].pk)
    services = client.list_services()
    assert code in {s["service_code"] for s in services}
    definition = client.get_service_definition(code)
    assert {a["datatype"] for a in definition["attributes"]} >= {"singlevaluelist", "multivaluelist"}

    # its own validation against our definition catches a missing required attribute
    with pytest.raises(ValidationError):
        client.create_request(
            code, validate_remote=True, lat=41.03, lng=113.11, description="x", attributes={}
        )

    sent = client.create_request(
        code,
        dry_run=False,
        confirm="SEND",
        api_key=setup["key"],
        validate_remote=True,
        lat=41.0345,
        lng=113.118,
        address_string="红旗村村口",
        description="村口道路塌陷",
        attributes={"depth": "12", "size": "large", "hazards": ["water", "night"]},
        first_name="三",
        last_name="张",
        phone="13800000001",
        email="zhang@example.com",
        media_url="https://img.example.com/a.jpg",
    )
    [answer] = sent.response
    number = answer["service_request_id"]
    problem = Problem.objects.get(number=number)
    assert problem.state == State.REGISTERED and "积水、夜间无照明" in problem.description
    assert FeedbackIdentity.objects.get(feedback__problem=problem).name == "张三"

    assert client.get_token(answer["token"]) == [{"service_request_id": number, "token": answer["token"]}]
    # a resident's report is read without a key only once staff checked it (issue 14)
    assert client.list_requests(service_request_ids=[number]) == []
    problem_moderate(actor=SYSTEM, problem=problem, decision="approve")
    listed = client.list_requests(service_request_ids=[number])
    assert [r["service_request_id"] for r in listed] == [number]
    assert (
        client.list_requests(service_code=code, status="open", page_size=10)[0]["service_request_id"]
        == number
    )
    one = client.get_request(number)
    assert one is not None and one["status"] == "open" and one["lat"] == 41.0345
    assert "13800000001" not in str(one)

    # a refused POST reaches the client as an HTTP error carrying the spec's error list
    with pytest.raises(HttpError) as refused:
        client.create_request(
            code,
            dry_run=False,
            confirm="SEND",
            api_key="mq_wrong_key",
            address_string="x",
            attributes={"depth": "1", "size": "small"},
        )
    assert refused.value.status == 403 and '"code": 403' in refused.value.body


def test_updates_through_the_clients_transport(setup: dict[str, Any]) -> None:
    client: Open311Client = setup["client"]
    transport: HttpTransport = setup["transport"]
    code = str(setup["cats"]["noise"].pk)
    sent = client.create_request(
        code,
        dry_run=False,
        confirm="SEND",
        api_key=setup["key"],
        address_string="集宁区某小区",
        description="夜间施工噪声",
    )
    number = sent.response[0]["service_request_id"]
    problem = problem_moderate(actor=SYSTEM, problem=Problem.objects.get(number=number), decision="approve")
    problem_transition(
        actor=SYSTEM, problem=problem, action=Action.ASSIGN, responsible_unit=setup["tree"]["town_b"]
    )
    update = {
        "jurisdiction_id": setup["tree"]["county"].code,
        "api_key": setup["handler_key"],
        "service_request_id": number,
        "update_id": "hotline-77",
        "status": "CLOSED",
        "updated_datetime": "2026-12-06T10:00:00+08:00",
        "description": "已责令停工",
    }
    url = f"{setup['base']}/servicerequestupdates.json"
    [posted] = transport.post_form(url, update)
    problem.refresh_from_db()
    assert problem.state == State.RESOLVED
    with pytest.raises(HttpError) as again:
        transport.post_form(url, update)
    assert again.value.status == 409
    rows = transport.get_json(url, {"jurisdiction_id": setup["tree"]["county"].code})
    mine = [r for r in rows if r["service_request_id"] == number]
    assert mine[-1]["update_id"] == posted["update_id"] and mine[-1]["status"] == "CLOSED"
    assert mine[-1]["description"] == "已责令停工"
