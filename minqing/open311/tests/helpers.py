"""What the tests share: applications with keys, the taxonomy, a client that calls a resource in
one format and reads the answer back as plain data, and the spec's document shapes."""

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from django.test import Client

from minqing.api.keys import application_key_issue
from minqing.ledger.models import Category
from minqing.open311.models import Datatype, ServiceAttribute, ServiceAttributeValue
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, Unit

FORMATS = ("json", "xml")

# the spec's fields (GeoReport v2), in the spec's words
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
UPDATE_FIELDS = {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"}


def make_app(
    unit: Unit, roles: tuple[str, ...] = (Role.INTAKE,), scopes: tuple[str, ...] = ("open311",)
) -> str:
    app = Application.objects.create(
        name=f"app-{unit.code}-{Application.objects.count()}",
        unit=unit,
        roles=list(roles),
        scopes=list(scopes),
    )
    return application_key_issue(actor=SYSTEM, application=app, name="k").secret


def taxonomy() -> dict[str, Category]:
    road = Category.objects.create(name="测试路政", full_name="测试路政")
    pothole = Category.objects.create(name="道路破损", parent=road, level=2, full_name="测试路政/道路破损")
    noise = Category.objects.create(name="测试噪声", full_name="测试噪声")
    return {"road": road, "pothole": pothole, "noise": noise}


def attributes_of_every_type(category: Category) -> None:
    for order, (code, datatype, required) in enumerate(
        [
            ("plate", Datatype.STRING, False),
            ("depth", Datatype.NUMBER, True),
            ("seen_at", Datatype.DATETIME, False),
            ("details", Datatype.TEXT, False),
            ("size", Datatype.SINGLE, True),
            ("hazards", Datatype.MULTI, False),
        ],
        start=1,
    ):
        a = ServiceAttribute.objects.create(
            category=category,
            code=code,
            datatype=datatype,
            required=required,
            order=order,
            description=f"问题{code}",
        )
        if datatype == Datatype.SINGLE:
            for key, name in (("small", "小"), ("large", "大")):
                ServiceAttributeValue.objects.create(attribute=a, key=key, name=name)
        if datatype == Datatype.MULTI:
            for key, name in (("water", "积水"), ("traffic", "影响通行"), ("night", "夜间无照明")):
                ServiceAttributeValue.objects.create(attribute=a, key=key, name=name)


def _plain(node: ET.Element) -> Any:
    """An element as data: text for a leaf, a dict of its children, or a list when the children
    repeat one name (the spec's lists)."""
    children = list(node)
    if not children:
        return node.text
    tags = [c.tag for c in children]
    if (len(children) > 1 and len(set(tags)) == 1) or node.tag in _LISTS:
        return [_plain(c) for c in children]
    return {c.tag: _plain(c) for c in children}


_LISTS = {
    "services",
    "attributes",
    "values",
    "service_requests",
    "endpoints",
    "formats",
    "errors",
    "service_request_updates",
}


@dataclass
class Answer:
    status: int
    data: Any
    root: str | None
    content_type: str
    raw: bytes


class Open311Client:
    def __init__(self, key: str | None = None, jurisdiction: str | None = None) -> None:
        self.client = Client()
        self.key = key
        self.jurisdiction = jurisdiction

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        out = dict(params)
        if self.jurisdiction is not None and "jurisdiction_id" not in out:
            out["jurisdiction_id"] = self.jurisdiction
        return out

    def _read(self, response: Any, fmt: str) -> Answer:
        raw = response.content
        ctype = response["Content-Type"]
        if fmt == "xml":
            assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), raw[:80]
            assert ctype == "text/xml; charset=utf-8"
            root = ET.fromstring(raw)
            return Answer(response.status_code, _plain(root), root.tag, ctype, raw)
        assert ctype == "application/json; charset=utf-8"
        return Answer(response.status_code, response.json(), None, ctype, raw)

    def get(self, resource: str, fmt: str, key: bool = False, **params: Any) -> Answer:
        p = self._params(params)
        if key:
            p["api_key"] = self.key
        return self._read(self.client.get(f"/open311/v2/{resource}.{fmt}", p), fmt)

    def post(
        self, resource: str, fmt: str, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Answer:
        d = self._params(data)
        if self.key is not None and "api_key" not in d:
            d["api_key"] = self.key
        response = self.client.post(f"/open311/v2/{resource}.{fmt}", d, headers=headers or {})
        return self._read(response, fmt)


def items(data: Any) -> list[Any]:
    """A list in either format (an XML list of one item, or of none, reads as a list too)."""
    if data is None:
        return []
    return data if isinstance(data, list) else [data]


def as_list(answer: Answer) -> list[Any]:
    return items(answer.data)


def assert_errors(answer: Answer, status: int, fmt: str) -> list[str]:
    """The spec's error list: ``[{"code", "description"}]`` / ``<errors><error><code/>…``, its code
    the HTTP status."""
    assert answer.status == status, (answer.status, answer.raw[:300])
    if fmt == "xml":
        assert answer.root == "errors"
        root = ET.fromstring(answer.raw)
        errors = root.findall("error")
        assert errors and all({c.tag for c in e} == {"code", "description"} for e in errors)
        assert all(e.findtext("code") == str(status) for e in errors)
        return [e.findtext("description") or "" for e in errors]
    assert isinstance(answer.data, list) and answer.data
    for e in answer.data:
        assert set(e) == {"code", "description"} and e["code"] == status and isinstance(e["code"], int)
        assert isinstance(e["description"], str) and e["description"]
    return [e["description"] for e in answer.data]
