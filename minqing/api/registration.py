"""Registering a problem or a piece of feedback through the API: the body (``ProblemIn``), the
checks that need no database (``check_shape``) and the registration itself (``register``),
shared by the immediate answer (201) and the queued one (``Prefer: respond-async``: 202, then
``minqing.api.queued``). Both go through the pages' services: ``feedback_submit`` for feedback
on a channel, ``problem_register`` for a problem of another source."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, Field, field_validator

from minqing.api.errors import ApiError
from minqing.campaigns.selectors import campaign_by_id
from minqing.core.errors import PermissionDeniedError
from minqing.core.text import strip_control
from minqing.ledger import selectors
from minqing.ledger.enums import Channel, Source, Urgency
from minqing.ledger.forms import ID_RE, PHONE_RE
from minqing.ledger.models import Category, Problem
from minqing.ledger.services.intake import (
    ChannelDetails,
    ProblemFacts,
    Reporter,
    feedback_submit,
    problem_register,
)
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.selectors import unit_by_code

Plain = Annotated[str, AfterValidator(lambda v: strip_control(v).strip())]


def invalid(field: str, detail: Any) -> ApiError:
    return ApiError("VALIDATION", 422, field=field, detail=detail)


class ReporterIn(Schema):
    name: Plain = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)
    address: Plain = Field("", max_length=200)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = value.strip()
        if value and not PHONE_RE.match(value):
            raise ValueError("phone: digits, spaces, '-' and a leading '+'")
        return value

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        value = value.strip()
        if value and not ID_RE.match(value):
            raise ValueError("id_number: 15 digits, or 17 digits and a digit or X")
        return value.upper()


class ProblemIn(Schema):
    title: Plain = Field(min_length=1, max_length=200)
    content: Plain = Field(min_length=1, max_length=20000)
    unit_code: str = Field(min_length=1, max_length=32, description="反映对象单位 / the unit concerned")
    source: Source = Source.PUBLIC
    channel: Channel | None = Field(
        None, description="群众反映的渠道(来源为 public 时必填)/ the channel (required for source public)"
    )
    received_at: dt.datetime | None = None
    reporter: ReporterIn | None = None
    anonymous: bool = False
    place: Plain = Field("", max_length=200)
    letter_date: dt.date | None = None
    visitors: int | None = Field(None, ge=1, le=9999)
    group_visit: bool = False
    category_id: int | None = None
    campaign_id: int | None = None
    urgency: Urgency = Urgency.NORMAL
    prominent: bool = False
    merge_into: str | None = Field(
        None, max_length=32, description="并入已有问题的编号 / add the feedback to this problem"
    )


def _references(actor: Actor, body: ProblemIn) -> tuple[Unit, Category | None, Any]:
    unit = unit_by_code(actor, body.unit_code)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit_code")
    category = None
    if body.category_id is not None:
        category = Category.objects.filter(pk=body.category_id).first()
        if category is None:
            raise ApiError("NOT_FOUND", 404, field="category_id")
    campaign = None
    if body.campaign_id is not None:
        campaign = campaign_by_id(actor, body.campaign_id)
        if campaign is None:
            raise ApiError("NOT_FOUND", 404, field="campaign_id")
    return unit, category, campaign


def check_shape(actor: Actor, body: ProblemIn) -> None:
    """What the body must be, read without the database: the caller may register (an intake
    role; 403 before anything else, as the intake page), feedback has a channel (a letter its
    date), and only feedback has a channel, a reporter or a problem to be merged into."""
    if not policy.has_role(actor, policy.INTAKE):
        raise PermissionDeniedError()
    if body.source != Source.PUBLIC:
        if body.channel or body.reporter is not None or body.merge_into:
            field = "channel" if body.channel else "reporter" if body.reporter is not None else "merge_into"
            raise invalid(field, _("只有群众反映(source=public)才有渠道、反映人和合并"))
        return
    if not body.channel:
        raise invalid("channel", _("群众反映须填写渠道:letter、visit、call 或 online"))
    if body.channel == Channel.LETTER and body.letter_date is None:
        raise invalid("letter_date", _("来信须填写来信日期"))


@dataclass(frozen=True)
class Registered:
    problem: Problem
    unit: Unit
    tracking_code: str | None  # feedback's; None for a problem of another source


def register(actor: Actor, body: ProblemIn) -> Registered:
    """Register ``body`` (already through ``check_shape``) as ``actor``: its references are looked
    up in the actor's reach (404 naming the field otherwise), then the service writes."""
    unit, category, campaign = _references(actor, body)
    if body.source != Source.PUBLIC:
        facts = ProblemFacts(
            title=body.title,
            description=body.content,
            unit=unit,
            source=body.source,
            category=category,
            campaign=campaign,
            urgency=body.urgency,
            prominent=body.prominent,
            registered_at=body.received_at,
        )
        return Registered(problem=problem_register(actor=actor, facts=facts), unit=unit, tracking_code=None)
    assert body.channel is not None  # check_shape
    merge_into = None
    if body.merge_into:
        merge_into = selectors.problem_for_merge(actor, body.merge_into)
        if merge_into is None:
            raise ApiError("NOT_FOUND", 404, field="merge_into")
    r = body.reporter
    reporter = Reporter(name=r.name, phone=r.phone, id_number=r.id_number, address=r.address) if r else None
    fb = feedback_submit(
        actor=actor,
        channel=body.channel,
        title=body.title,
        content=body.content,
        unit=unit,
        received_at=body.received_at,
        reporter=reporter,
        anonymous=body.anonymous,
        details=ChannelDetails(
            letter_date=body.letter_date, visitors=body.visitors, group_visit=body.group_visit
        ),
        place=body.place,
        campaign=campaign,
        category=category,
        urgency=body.urgency,
        merge_into=merge_into,
    )
    assert fb.problem is not None  # feedback_submit always files the feedback on a problem
    return Registered(problem=fb.problem, unit=unit, tracking_code=fb.tracking_code)
