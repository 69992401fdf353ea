"""Writes of the Open311 endpoints. A request becomes feedback through the ledger's own intake
(``feedback_submit``: the caller must hold an intake role on the unit), on the online channel or
the one the caller declares; the reporter's name and phone go to ``FeedbackIdentity`` (encrypted,
shown only where ``ledger.access`` allows), the e-mail to ``ServiceRequest.email`` (encrypted).
An update an external system posts becomes a workflow step (``problem_transition``): a public
note, or 办结 when it reports the request closed while the problem is being handled."""

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.audit_writes import written_before_commit
from minqing.core.drain import Drain
from minqing.core.errors import DomainError
from minqing.ledger.enums import Action, Channel, ResolutionKind, State
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.workflow import problem_transition
from minqing.open311 import selectors
from minqing.open311.formats import Open311Error
from minqing.open311.models import Datatype, ExternalUpdate, ServiceAttribute, ServiceRequest
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Application, Unit

MAX_DESCRIPTION = 4000
TITLE_CHARS = 60


@dataclass
class RequestInput:
    service_code: str = ""
    description: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    channel: str = ""


def _coordinates(data: RequestInput, problems: list[str]) -> tuple[float | None, float | None]:
    if not data.lat and not data.long:
        return None, None
    try:
        lat, long = float(data.lat), float(data.long)
    except ValueError:
        problems.append(_("lat 和 long 应同时给出,且为数字"))
        return None, None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        problems.append(_("lat/long 超出范围"))
        return None, None
    return lat, long


def _check_value(attribute: ServiceAttribute, values: list[str], problems: list[str]) -> None:
    code = attribute.code
    if attribute.datatype != Datatype.MULTI and len(values) > 1:
        problems.append(_("属性 {code} 只能有一个值").format(code=code))
        return
    if attribute.datatype == Datatype.NUMBER:
        for v in values:
            try:
                float(v)
            except ValueError:
                problems.append(_("属性 {code} 应为数字").format(code=code))
    elif attribute.datatype == Datatype.DATETIME:
        for v in values:
            try:
                selectors.parse_w3c(v, code)
            except Open311Error:
                problems.append(_("属性 {code} 应为 W3C 日期时间").format(code=code))
    elif attribute.datatype in (Datatype.SINGLE, Datatype.MULTI):
        keys = {v.key for v in attribute.values.all()}
        if any(v not in keys for v in values):
            problems.append(_("属性 {code} 的取值不在可选项中").format(code=code))


def _check_attributes(attributes: list[ServiceAttribute], given: dict[str, list[str]]) -> list[str]:
    problems: list[str] = []
    known = {a.code: a for a in attributes if a.variable}
    for code in given:
        if code not in known:
            problems.append(_("未知的属性 {code}").format(code=code))
    for code, attribute in known.items():
        values = [v for v in given.get(code, []) if v.strip()]
        if not values:
            if attribute.required:
                problems.append(_("缺少必填属性 {code}").format(code=code))
            continue
        _check_value(attribute, values, problems)
    return problems


def _content(description: str, attributes: list[ServiceAttribute], data: RequestInput) -> str:
    lines = [description.strip()] if description.strip() else []
    for a in attributes:
        values = data.attributes.get(a.code)
        if not values:
            continue
        names = {v.key: v.name for v in a.values.all()}
        shown = "、".join(names.get(v, v) for v in values)
        lines.append(f"{a.description}:{shown}")
    if data.address_string:
        lines.append(_("地址:{address}").format(address=data.address_string))
    if data.media_url:
        lines.append(_("图片:{url}").format(url=data.media_url))
    return "\n".join(lines)


def _location_unit(jurisdiction: Unit, address_id: str, problems: list[str]) -> Unit:
    """The unit a request concerns: ``address_id`` when it is a unit code in the jurisdiction's
    subtree, else the jurisdiction itself."""
    if not address_id:
        return jurisdiction
    unit = selectors.unit_in(jurisdiction, address_id.strip())
    if unit is None:
        problems.append(_("address_id 不是本辖区内的单位代码"))
        return jurisdiction
    return unit


def request_accept(
    *,
    actor: Actor,
    jurisdiction: Unit,
    data: RequestInput,
    queue: bool = False,
) -> ServiceRequest:
    """Check a POSTed request and keep it; then record it as feedback now, or (``queue``) after
    the answer, in the intake job (``schedule_drain``). Every fault of the input is reported at once."""
    category = selectors.offered_category(jurisdiction, data.service_code) if data.service_code else None
    problems: list[str] = []
    if not data.service_code:
        problems.append(_("缺少 service_code"))
    elif category is None:
        problems.append(_("本辖区不受理 service_code={code}").format(code=data.service_code))
    lat, long = _coordinates(data, problems)
    if lat is None and not data.address_string.strip() and not data.address_id.strip():
        problems.append(_("需要位置:lat 和 long、address_string 或 address_id(单位代码)之一"))
    unit = _location_unit(jurisdiction, data.address_id, problems)
    if len(data.description) > MAX_DESCRIPTION:
        problems.append(_("description 不能超过 4000 个字符"))
    if data.media_url:
        try:
            URLValidator(schemes=["http", "https"])(data.media_url)
        except ValidationError:
            problems.append(_("media_url 不是有效的网址"))
    if data.email:
        try:
            EmailValidator()(data.email)
        except ValidationError:
            problems.append(_("email 不是有效的电子邮件地址"))
    channel = data.channel or Channel.ONLINE
    if channel not in Channel.values:
        problems.append(_("channel 只能是 {values}").format(values=", ".join(Channel.values)))
    attributes = selectors.service_attributes(category) if category is not None else []
    problems += _check_attributes(attributes, data.attributes)
    if problems:
        raise Open311Error(400, *problems)
    assert category is not None
    if not policy.has_role(actor, policy.INTAKE, unit.path) or not isinstance(actor, Application):
        raise Open311Error(403, _("该应用无权在此单位登记反映"))
    request = ServiceRequest.objects.create(
        token=secrets.token_hex(12),
        application=actor,
        unit=unit,
        category=category,
        channel=channel,
        description=data.description,
        lat=lat,
        long=long,
        address_string=data.address_string.strip()[:200],
        address_id=data.address_id.strip()[:64],
        media_url=data.media_url[:500],
        attributes={a.code: data.attributes[a.code] for a in attributes if a.code in data.attributes},
        device_id=data.device_id[:100],
        account_id=data.account_id[:100],
        first_name=data.first_name[:50],
        last_name=data.last_name[:50],
        phone=data.phone[:20],
        email=data.email[:100],
        received_at=timezone.now(),
        queued=queue,
    )
    if queue:
        transaction.on_commit(schedule_drain)
        return request
    return request_record(request)


DRAIN = Drain("minqing:open311:drain", ("recorded", "failed"))


def schedule_drain() -> None:
    """An intake job after a queued request (``core.drain``: at most one per process every 2 s)."""
    DRAIN.schedule(_start_job)


def _start_job() -> None:
    from minqing.open311.tasks import open311_intake

    open311_intake()


def drain() -> dict[str, int]:
    """Record every queued request, oldest first; counts by outcome."""
    todo = ServiceRequest.objects.filter(queued=True, feedback__isnull=True, failure="")
    return DRAIN.run(todo, request_record_queued)


def request_record(request: ServiceRequest) -> ServiceRequest:
    """Record a kept request as feedback (``feedback_submit`` as its application); the name and
    phone then live only in ``FeedbackIdentity``."""
    attributes = selectors.service_attributes(request.category)
    data = RequestInput(
        attributes=request.attributes, address_string=request.address_string, media_url=request.media_url
    )
    content = _content(request.description, attributes, data) or request.category.name
    first_line = (request.description.strip().splitlines() or [""])[0]
    title = f"{request.category.name}:{first_line}" if first_line else request.category.name
    name = f"{request.last_name}{request.first_name}".strip()
    reporter = Reporter(name=name, phone=request.phone)
    place = request.address_string or (f"{request.lat},{request.long}" if request.lat is not None else "")
    # the audit rows of the recording in its transaction (one INSERT, no commit of their own): the
    # request is recorded exactly when they are in too (core.audit_writes.written_before_commit)
    with transaction.atomic(), written_before_commit():
        feedback = feedback_submit(
            actor=request.application,
            channel=request.channel,
            title=title[:TITLE_CHARS],
            content=content,
            unit=request.unit,
            received_at=request.received_at,
            reporter=reporter,
            anonymous=reporter.is_empty() and not request.email,
            place=place[:200],
            category=request.category,
        )
        request.feedback = feedback
        request.problem = feedback.problem
        request.first_name = request.last_name = request.phone = ""
        request.save(update_fields=["feedback", "problem", "first_name", "last_name", "phone"])
    return request


def request_record_queued(pk: int) -> str | None:
    """Record a queued request once (``recorded``); a refusal is kept for ``tokens/``
    (``failed``); ``None`` when it is done already or another worker holds it."""
    with transaction.atomic():
        request = (
            ServiceRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application__unit", "unit", "category")
            .filter(pk=pk, feedback__isnull=True, failure="")
            .first()
        )
        if request is None:
            return None
        try:
            request_record(request)
        except (DomainError, Open311Error) as error:
            ServiceRequest.objects.filter(pk=pk).update(failure=str(error)[:300])
            return "failed"
    return "recorded"


# --- updates -----------------------------------------------------------------------------------


@dataclass
class UpdateInput:
    service_request_id: str = ""
    update_id: str = ""
    status: str = ""
    updated_datetime: str = ""
    description: str = ""
    media_url: str = ""
    resolution_kind: str = ""


WORKING = (State.ASSIGNED, State.ACCEPTED, State.RECTIFYING)


def update_apply(*, actor: Actor, jurisdiction: Unit, data: UpdateInput) -> int:
    """Apply an external update once per caller and ``update_id``: CLOSED on a problem being
    handled is 办结 (``resolution_kind``, default 限期整改; the description is the measures); any
    other is a public note. Returns the event's id (the update's id here). A repeated
    ``update_id`` is refused with 409."""
    problems = []
    for name in ("service_request_id", "update_id", "status", "updated_datetime", "description"):
        if not getattr(data, name).strip():
            problems.append(_("缺少 {name}").format(name=name))
    status = data.status.strip().upper()
    if status and status not in ("OPEN", "CLOSED"):
        problems.append(_("status 只能是 OPEN 或 CLOSED"))
    kind = data.resolution_kind or ResolutionKind.RECTIFIED
    if kind not in ResolutionKind.values:
        problems.append(_("resolution_kind 不正确"))
    if data.updated_datetime.strip():
        try:
            selectors.parse_w3c(data.updated_datetime, "updated_datetime")
        except Open311Error as error:
            problems += error.descriptions
    if problems:
        raise Open311Error(400, *problems)
    if not isinstance(actor, Application):
        raise Open311Error(403, _("只有接入应用可以报送更新"))
    problem: Problem = selectors.find_request(actor, jurisdiction, data.service_request_id)
    try:
        with transaction.atomic():
            record = ExternalUpdate.objects.create(
                application=actor,
                update_id=data.update_id.strip()[:100],
                problem=problem,
                updated_datetime=data.updated_datetime.strip()[:40],
                media_url=data.media_url[:500],
            )
            if status == "CLOSED" and problem.state in WORKING:
                fresh = problem_transition(
                    actor=actor,
                    problem=problem,
                    action=Action.RESOLVE,
                    resolution_kind=kind,
                    measures=data.description,
                    note=data.description,
                    public=True,  # an Open311 update is a public status note (the spec's)
                )
            else:
                fresh = problem_transition(
                    actor=actor, problem=problem, action=Action.NOTE, note=data.description, public=True
                )
            event = fresh.events.order_by("-id").first()
            assert event is not None
            record.event = event
            record.save(update_fields=["event"])
    except IntegrityError:
        raise Open311Error(409, _("update_id={id} 已报送过,不重复处理").format(id=data.update_id)) from None
    return event.pk
