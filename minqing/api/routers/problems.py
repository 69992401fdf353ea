"""The problem ledger: ``/api/v1/problems``. A problem is addressed by its number; only problems
of the caller's subtree exist for it (所属单位 or 责任单位 in it, as on the pages).

Registering goes through the pages' services: feedback on a channel (来信/来访/来电/网络, the
reporter kept apart as informant data) through ``feedback_submit``; a problem of another source
(自我检视, 督导发现, 调研发现, 信访积案) through ``problem_register``. Every workflow action is its
own POST, validated by the page's own action form and applied by ``problem_transition``. The
reporter is read only at ``/reporter``, only where the page would show it (never to the unit
complained about), and each read is audited.
"""

import datetime as dt
import json
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import lazy
from ninja import Header, Router, Schema, Status
from pydantic import Field

from minqing.api import queued
from minqing.api.auth import credential_of, require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.middleware import HEADER as IDEMPOTENCY_HEADER
from minqing.api.middleware import after_commit, prefers_async
from minqing.api.models import QueuedRegistration
from minqing.api.pagination import Page, keyset_page
from minqing.api.registration import Plain, ProblemIn, check_shape, invalid, register
from minqing.api.scopes import Scope
from minqing.campaigns.selectors import campaign_by_id
from minqing.ledger import selectors
from minqing.ledger.access import can_see_problem, reporter_feedback_ids
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.forms import ACTION_FORMS
from minqing.ledger.models import Category, Extension, Feedback, Problem, ProblemEvent
from minqing.ledger.services.workflow import allowed_actions, problem_transition, transition_check
from minqing.nlp.intake import intake_suggestions, message_duplicates
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.selectors import unit_by_code

router = Router(tags=["问题台账 / problems"])


# --- answers ---------------------------------------------------------------------------------


class ProblemOut(Schema):
    number: str
    title: str
    state: str
    source: str
    channel: str
    category: str | None
    campaign_id: int | None
    unit_code: str
    unit_name: str
    responsible_unit_code: str | None
    responsible_unit_name: str | None
    urgency: str
    prominent: bool
    must_solve: bool
    registered_at: dt.datetime
    accept_due: dt.date | None
    due_date: dt.date | None
    overdue: bool
    resolution_kind: str
    satisfaction: str
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    merged_into: str | None
    is_public: bool
    moderation: str = Field(description="公开审核 / pending, approved, private")
    version: int


class FeedbackOut(Schema):
    channel: str
    received_at: dt.datetime
    title: str
    content: str
    place: str
    unit_code: str | None
    letter_date: dt.date | None
    visitors: int | None
    group_visit: bool
    tracking_code: str | None = Field(
        description="查询码,仅对可查看反映人者显示 / the tracking code, only where the reporter may be seen"
    )


class ExtensionOut(Schema):
    requested_at: dt.datetime
    days: int
    reason: str
    state: str
    old_due: dt.date | None
    new_due: dt.date | None
    decided_at: dt.datetime | None


class ProblemDetailOut(ProblemOut):
    description: str
    measures: str
    owner: str | None
    feedback: list[FeedbackOut]
    extensions: list[ExtensionOut]
    allowed_actions: list[str]


class EventOut(Schema):
    id: int
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    note: str
    public: bool
    note_public: bool = Field(description="说明是否公开 / whether the note is public")
    data: dict[str, Any]


class ReporterOut(Schema):
    channel: str
    received_at: dt.datetime
    tracking_code: str
    anonymous: bool
    name: str
    phone: str
    id_number: str
    address: str


class CategorySuggestionOut(Schema):
    label: str = Field(description="建议的一级分类名 / the suggested first-level category")
    confidence: float = Field(description="置信度(0–1)/ confidence (0-1)")
    category_id: int | None = Field(description="台账中同名一级分类的 id / the ledger's category id")


class UnitSuggestionOut(Schema):
    code: str
    name: str
    score: float
    reasons: list[str]


class SuggestionsOut(Schema):
    categories: list[CategorySuggestionOut]
    units: list[UnitSuggestionOut]


class DuplicateOut(Schema):
    number: str = Field(description="相似的未办结问题的编号 / the similar open problem")
    title: str
    state: str
    unit_code: str
    score: float = Field(description="相似度(0–1)/ similarity (0-1)")
    likely: bool = Field(description="不低于判为同一事项的阈值 / at or above the same-matter threshold")
    only_in_message: list[str] = Field(description="本条反映有而该问题没有的词 / words only in the message")
    only_in_problem: list[str] = Field(description="该问题有而本条反映没有的词 / words only in the problem")


class DuplicatesOut(Schema):
    ready: bool = Field(
        description="false:相似问题索引正在建立,稍后再查 / false: the index is being built, ask again later"
    )
    items: list[DuplicateOut]


class QueuedOut(Schema):
    token: str = Field(description="排队登记的凭据 / the queued registration's token")
    state: str = Field(description="queued(排队中)、registered(已登记)或 failed(未能登记)")
    status_url: str
    received_at: dt.datetime
    number: str | None = Field(None, description="登记后的问题编号 / the problem's number, once registered")
    tracking_code: str | None = Field(None, description="反映的查询码 / the feedback's tracking code")
    error: ErrorOut | None = Field(None, description="未能登记的原因 / why it was not registered")


class RegisteredOut(Schema):
    number: str
    tracking_code: str | None = Field(
        description="反映的查询码(群众反映时)/ the feedback's tracking code (public source only)"
    )
    problem: ProblemOut
    suggestions: SuggestionsOut = Field(
        description="按标题和内容建议的分类(前 3 项)和单位(docs/nlp.md)/ the suggested categories "
        "(top 3) and units from the title and content"
    )
    duplicates: DuplicatesOut = Field(
        description="最相似的未办结问题(调用方可见的,不含本问题;合并用 POST /{number}/merge)/ the most "
        "similar open problems the caller may see, this one left out (merge with POST /{number}/merge)"
    )


class ActedOut(Schema):
    number: str
    action: str
    state: str
    version: int
    problem: ProblemOut | None = Field(
        description="办理后仍可查看时为问题本身 / the problem, when the caller still sees it"
    )


def problem_out(p: Problem) -> ProblemOut:
    return ProblemOut(
        number=p.number,
        title=p.title,
        state=p.state,
        source=p.source,
        channel=p.channel,
        category=p.category.full_name if p.category is not None else None,
        campaign_id=p.campaign_id,
        unit_code=p.unit.code,
        unit_name=p.unit.name,
        responsible_unit_code=p.responsible_unit.code if p.responsible_unit else None,
        responsible_unit_name=p.responsible_unit.name if p.responsible_unit else None,
        urgency=p.urgency,
        prominent=p.prominent,
        must_solve=p.must_solve,
        registered_at=p.registered_at,
        accept_due=p.accept_due,
        due_date=p.due_date,
        overdue=p.overdue,
        resolution_kind=p.resolution_kind,
        satisfaction=p.satisfaction,
        resolved_at=p.resolved_at,
        closed_at=p.closed_at,
        merged_into=p.merged_into.number if p.merged_into is not None else None,
        is_public=p.is_public,
        moderation=p.moderation,
        version=p.version,
    )


def _feedback_out(fb: Feedback, tracking: bool) -> FeedbackOut:
    return FeedbackOut(
        channel=fb.channel,
        received_at=fb.received_at,
        title=fb.title,
        content=fb.content,
        place=fb.place,
        unit_code=fb.unit.code if fb.unit is not None else None,
        letter_date=fb.letter_date,
        visitors=fb.visitors,
        group_visit=fb.group_visit,
        tracking_code=fb.tracking_code if tracking else None,
    )


def _extension_out(e: Extension) -> ExtensionOut:
    return ExtensionOut(
        requested_at=e.requested_at,
        days=e.days,
        reason=e.reason,
        state=e.state,
        old_due=e.old_due,
        new_due=e.new_due,
        decided_at=e.decided_at,
    )


def _event_out(e: ProblemEvent) -> EventOut:
    return EventOut(
        id=e.pk,
        at=e.at,
        action=e.action,
        from_state=e.from_state,
        to_state=e.to_state,
        actor_name=e.actor_name,
        note=e.note,
        public=e.public,
        note_public=e.note_public,
        data=e.data or {},
    )


def _problem(request: HttpRequest, number: str, scope: str = Scope.READ) -> tuple[Actor, Problem]:
    """The caller and the problem ``number`` of its subtree; 404 (``Http404``) outside it."""
    actor = require_scope(request, scope)
    return actor, selectors.problem_get(actor, number)


# --- reads -----------------------------------------------------------------------------------


@router.get("/", response=Page[ProblemOut], summary="问题列表 / list problems")
def list_problems(
    request: HttpRequest,
    state: State | None = None,
    unit: str | None = None,
    source: Source | None = None,
    channel: Channel | None = None,
    category: int | None = None,
    campaign: int | None = None,
    registered_after: dt.datetime | None = None,
    registered_before: dt.datetime | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ProblemOut]:
    """The problems of the caller's subtree, newest first: ``unit`` (a unit code: its subtree, as
    所属单位 or 责任单位), ``category`` (an id, with its subcategories), ``campaign`` (an id),
    ``registered_after`` (inclusive) / ``registered_before`` (exclusive), ``overdue``, and ``q``
    (the title contains it, or the number starts with it)."""
    actor = require_scope(request, Scope.READ)
    unit_obj: Unit | None = None
    if unit:
        unit_obj = unit_by_code(actor, unit)
        if unit_obj is None:
            raise ApiError("NOT_FOUND", 404, field="unit")
    category_obj: Category | None = None
    if category is not None:
        category_obj = Category.objects.filter(pk=category).first()
        if category_obj is None:
            raise ApiError("NOT_FOUND", 404, field="category")
    if campaign is not None and campaign_by_id(actor, campaign) is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    filters = selectors.ProblemListFilters(
        state=state or "",
        source=source or "",
        channel=channel or "",
        unit=unit_obj,
        category=category_obj,
        campaign_id=campaign,
        registered_after=registered_after,
        registered_before=registered_before,
        overdue=overdue,
        q=(q or "").strip()[:100],
    )
    qs: QuerySet[Problem] = selectors.problem_list(actor, filters)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[ProblemOut](items=[problem_out(p) for p in rows], next_cursor=next_cursor)


@router.get("/{number}", response=ProblemDetailOut, summary="问题详情 / one problem")
def get_problem(request: HttpRequest, number: str) -> ProblemDetailOut:
    """The problem as its page shows it: its feedback items (the tracking code only where the
    reporter may be seen), extension requests, and the actions the caller may take now."""
    actor, p = _problem(request, number)
    feedback = selectors.problem_feedback(actor, p)
    readable = reporter_feedback_ids(actor, p, feedback)
    actions = allowed_actions(actor, p)
    if not selectors.has_pending_extension(p):
        actions = [a for a in actions if a not in (Action.GRANT_EXTENSION, Action.DENY_EXTENSION)]
    base = problem_out(p).dict()
    return ProblemDetailOut(
        **base,
        description=p.description,
        measures=p.measures,
        owner=p.owner.get_username() if p.owner is not None else None,
        feedback=[_feedback_out(fb, fb.pk in readable) for fb in feedback],
        extensions=[_extension_out(e) for e in selectors.problem_extensions(actor, p)],
        allowed_actions=actions,
    )


@router.get("/{number}/events", response=list[EventOut], summary="办理记录 / the timeline")
def problem_events(
    request: HttpRequest, number: str, since: dt.datetime | None = None, public_only: bool = False
) -> list[EventOut]:
    """The problem's timeline, oldest first, as its page shows it to the caller (internal notes
    included, as for every role that sees the page); ``public_only`` keeps the events shown on the
    public tracking page; ``since`` keeps those after a time (a hotline polling for updates)."""
    actor, p = _problem(request, number)
    events = selectors.problem_events(actor, p)
    return [
        _event_out(e) for e in events if (since is None or e.at > since) and (e.public or not public_only)
    ]


@router.get(
    "/{number}/reporter",
    response=list[ReporterOut],
    summary="反映人信息(记入审计)/ who reported it (audited)",
)
def problem_reporter(request: HttpRequest, number: str, response: HttpResponse) -> list[ReporterOut]:
    """Who reported the problem's feedback items: only for the office and intake clerks above the
    units concerned, never for the unit complained about (404 as for a missing problem); each
    identity read is written to the audit trail, as on the page."""
    actor, p = _problem(request, number)
    rows = selectors.problem_reporters(actor, p, request)
    add_never_cache_headers(response)  # personal data: kept by no cache, as the page's
    out = []
    for row in rows:
        ident = row.identity
        out.append(
            ReporterOut(
                channel=row.feedback.channel,
                received_at=row.feedback.received_at,
                tracking_code=row.feedback.tracking_code,
                anonymous=row.feedback.anonymous,
                name=ident.name if ident else "",
                phone=ident.phone if ident else "",
                id_number=ident.id_number if ident else "",
                address=ident.address if ident else "",
            )
        )
    return out


# --- registering -----------------------------------------------------------------------------


@router.post(
    "/",
    response={201: RegisteredOut, 202: QueuedOut},
    summary="登记问题或群众反映 / register a problem or a piece of feedback",
)
def register_problem(
    request: HttpRequest,
    body: ProblemIn,
    response: HttpResponse,
    prefer: Annotated[
        str | None,
        Header(
            alias="Prefer",
            description="respond-async:先保存、后登记,答 202 / keep it and answer 202, registered just after",
        ),
    ] = None,  # declared for the OpenAPI document; read, as by the middleware, by prefers_async
) -> Status[Any]:
    """Source ``public`` (the default): feedback on ``channel`` (call, letter, visit, online), the
    reporter kept as informant data unless ``anonymous``; answered with its tracking code. Any
    other source (self_inspection, supervision, research, petition_backlog): a problem without
    feedback. Send an ``Idempotency-Key`` so that a retry registers nothing twice.

    With ``Prefer: respond-async`` the registration is kept and answered at once (202, a
    ``token``; ``Location`` is its status, ``GET /api/v1/problems/queued/{token}``) and registered
    just after by the job worker: the answer carries no number yet, and an unknown unit, category,
    campaign or problem to merge into is reported on the status instead of in the answer."""
    actor = require_scope(request, Scope.PROBLEMS_WRITE)
    check_shape(actor, body)
    if prefers_async(request):
        return Status(202, _queued(request, body, response))
    done = register(actor, body)
    out = RegisteredOut(
        number=done.problem.number,
        tracking_code=done.tracking_code,
        problem=problem_out(done.problem),
        suggestions=NO_SUGGESTIONS,
        duplicates=NO_DUPLICATES,
    )
    return Status(201, _with_reading(request, out, actor, body, done.unit, done.problem.pk))


def _queued(request: HttpRequest, body: ProblemIn, response: HttpResponse) -> QueuedOut:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    row, replayed = queued.accept(
        credential=credential_of(request),
        body=body,
        idempotency_key=key.strip() if key else None,
        digest=queued.fingerprint(request.path, request.body),
    )
    response["Preference-Applied"] = "respond-async"
    response["Location"] = status_url(row.token)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return queued_out(row)


def status_url(token: str) -> str:
    return f"/api/v1/problems/queued/{token}"


def queued_out(row: QueuedRegistration) -> QueuedOut:
    return QueuedOut(
        token=row.token,
        state=row.state,
        status_url=status_url(row.token),
        received_at=row.received_at,
        number=row.number or None,
        tracking_code=row.tracking_code or None,
        error=ErrorOut(**row.error) if row.error else None,
    )


@router.get(
    "/queued/{token}",
    response=QueuedOut,
    summary="排队登记的状态 / a queued registration's state",
)
def queued_registration(request: HttpRequest, token: str) -> QueuedOut:
    """A registration answered 202: ``queued`` until the job has registered it, then
    ``registered`` with its number (and tracking code), or ``failed`` with the error it would have
    had at once. Only the application or user that sent it sees it."""
    require_scope(request, Scope.PROBLEMS_WRITE)
    row = queued.queued_for(credential_of(request), token)
    if row is None:
        raise ApiError("NOT_FOUND", 404)
    return queued_out(row)


# the answer's reading before it is done (and as kept if reading failed after the commit)
NO_SUGGESTIONS = SuggestionsOut(categories=[], units=[])
NO_DUPLICATES = DuplicatesOut(ready=False, items=[])


def _with_reading(
    request: HttpRequest, out: RegisteredOut, actor: Actor, body: ProblemIn, unit: Unit, exclude: int
) -> RegisteredOut:
    """The suggestions and similar problems of a registration, read once its write has committed:
    the reading (the category model, the duplicates index, a few SELECTs) holds no transaction and
    no lock (on SQLite the write lock). With an Idempotency-Key the middleware's transaction is
    still open here, so the reading is left to it (``after_commit``): it completes the answer
    after the commit, before the answer is kept and sent. Without one the write has committed."""

    def read() -> tuple[SuggestionsOut, DuplicatesOut]:
        return (
            suggestions_out(actor, body.title, body.content, body.place, unit),
            duplicates_out(actor, body.title, body.content, exclude),
        )

    def finish(response: HttpResponse) -> None:
        suggestions, duplicates = read()
        payload = json.loads(response.content)
        payload["suggestions"] = suggestions.model_dump(mode="json")
        payload["duplicates"] = duplicates.model_dump(mode="json")
        from minqing.api.v1 import api  # the endpoint's own renderer: the bytes it would have sent

        response.content = api.renderer.render(request, payload, response_status=response.status_code)

    if after_commit(request, finish):
        return out
    out.suggestions, out.duplicates = read()
    return out


def duplicates_out(actor: Actor, title: str, content: str, exclude: int) -> DuplicatesOut:
    """The intake page's similar open problems for a registration through the API."""
    found = message_duplicates(actor, title=title, content=content, exclude=exclude)
    items = []
    for d in found.items:
        p, s = d.similar.problem, d.similar
        items.append(
            DuplicateOut(
                number=p.number,
                title=p.title,
                state=p.state,
                unit_code=p.unit.code,
                score=s.score,
                likely=d.likely,
                only_in_message=s.only_in_message,
                only_in_problem=s.only_in_problem,
            )
        )
    return DuplicatesOut(ready=found.ready, items=items)


def suggestions_out(actor: Actor, title: str, content: str, place: str, unit: Unit) -> SuggestionsOut:
    """The intake page's suggestions for a registration through the API: the unit given is the
    caller's chosen place (it resolves same-named units). Not recorded: the caller chose before
    seeing them, so they say nothing of how often suggestions are taken."""
    s = intake_suggestions(actor, title=title, content=content, place=place, place_unit=unit)
    return SuggestionsOut(
        categories=[
            CategorySuggestionOut(label=c.label, confidence=c.confidence, category_id=c.category_id)
            for c in s.categories
        ],
        units=[
            UnitSuggestionOut(code=u.code, name=u.name, score=u.score, reasons=list(u.reasons))
            for u in s.units
        ],
    )


# --- the workflow: one POST per action ---------------------------------------------------------


class ActionIn(Schema):
    expected_version: int | None = Field(
        None,
        ge=0,
        description=(
            "读取时的 version;问题已被他人改动时答 409 / the version read; 409 when someone changed it since"
        ),
    )
    note: Plain = Field("", max_length=2000)
    public: bool = Field(
        False,
        description="说明公开:勾选后说明显示在公开查询页并通知关注的群众 / the note is shown on the public "
        "tracking page and sent to the reporters who follow it",
    )


class AssignIn(ActionIn):
    unit_code: str = Field(max_length=32, description="责任单位 / the responsible unit")
    due_date: dt.date | None = None
    owner: str | None = Field(None, max_length=150, description="承办人账号 / the handler's username")
    category: int | None = Field(
        None, description="分类 id,未分类的问题交办时确定 / the category's id, settled when assigning"
    )


class ReturnIn(ActionIn):
    note: Plain = Field(min_length=1, max_length=2000, description="退回理由 / why it is returned")


class ClaimIn(ActionIn):
    must_solve: bool = True


class ExtensionRequestIn(Schema):
    expected_version: int | None = Field(None, ge=0)
    days: int = Field(ge=1, le=365)
    reason: Plain = Field(min_length=1, max_length=500)


class ResolveIn(ActionIn):
    resolution_kind: ResolutionKind
    measures: Plain = Field(min_length=1, max_length=5000)


class CallbackIn(ActionIn):
    satisfaction: Satisfaction


class MergeIn(ActionIn):
    into: str = Field(max_length=32, description="合并到的问题编号 / the problem to merge into")


class NoteIn(ActionIn):
    note: Plain = Field(min_length=1, max_length=2000)


def _form_detail(error: Any) -> Any:
    """A form error's message, still lazy (the envelope renders it in both languages)."""
    if error.params:
        return lazy(lambda: str(error.message) % error.params, str)()
    return error.message


def _act(request: HttpRequest, number: str, action: str, body: Schema, name: str = "") -> ActedOut:
    """Validate ``body`` with the page's own form for ``action`` and apply it through
    ``problem_transition``, exactly as the page's button does."""
    actor, p = _problem(request, number, Scope.PROBLEMS_WRITE)
    transition_check(actor, p, action)  # 409 / 403 before the inputs are read, as the service would
    data = {k: v for k, v in body.dict().items() if v is not None}
    data.setdefault("expected_version", p.version)  # no version sent: the one just read
    form = ACTION_FORMS[action](data, actor=actor, problem=p, prefix=None)
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        raise invalid("" if field == "__all__" else field, _form_detail(errors[0]))
    fresh = problem_transition(
        actor=actor,
        problem=p,
        action=action,
        expected_version=form.cleaned_data["expected_version"],
        **form.params(),
    )
    visible = can_see_problem(actor, fresh)
    if visible:
        fresh = selectors.problem_get(actor, fresh.number)
    return ActedOut(
        number=fresh.number,
        action=name or action,
        state=fresh.state,
        version=fresh.version,
        problem=problem_out(fresh) if visible else None,
    )


ACT_ERRORS = (
    "403: 角色不允许 / role refused; 404: 子树外 / outside the subtree; "
    "409: 状态不允许或版本已过期 / state or stale version"
)


@router.post("/{number}/assign", response=ActedOut, summary="交办 / assign", description=ACT_ERRORS)
def assign(request: HttpRequest, number: str, body: AssignIn) -> ActedOut:
    return _act(request, number, Action.ASSIGN, body)


@router.post("/{number}/accept", response=ActedOut, summary="受理 / accept", description=ACT_ERRORS)
def accept(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    return _act(request, number, Action.ACCEPT, body)


@router.post("/{number}/return", response=ActedOut, summary="退回 / return", description=ACT_ERRORS)
def return_(request: HttpRequest, number: str, body: ReturnIn) -> ActedOut:
    return _act(request, number, Action.RETURN, body)


@router.post(
    "/{number}/claim", response=ActedOut, summary="领导认领 / a leader claims it", description=ACT_ERRORS
)
def claim(request: HttpRequest, number: str, body: ClaimIn) -> ActedOut:
    return _act(request, number, Action.CLAIM, body)


@router.post("/{number}/start", response=ActedOut, summary="开始整改 / start", description=ACT_ERRORS)
def start(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    return _act(request, number, Action.START, body)


@router.post(
    "/{number}/request_extension",
    response=ActedOut,
    summary="申请延期 / request an extension",
    description=ACT_ERRORS,
)
def request_extension(request: HttpRequest, number: str, body: ExtensionRequestIn) -> ActedOut:
    return _act(request, number, Action.REQUEST_EXTENSION, body)


@router.post(
    "/{number}/grant_extension",
    response=ActedOut,
    summary="批准延期 / grant the pending extension",
    description=ACT_ERRORS,
)
def grant_extension(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    return _act(request, number, Action.GRANT_EXTENSION, body)


@router.post(
    "/{number}/deny_extension",
    response=ActedOut,
    summary="不批准延期 / deny the pending extension",
    description=ACT_ERRORS,
)
def deny_extension(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    return _act(request, number, Action.DENY_EXTENSION, body)


@router.post("/{number}/resolve", response=ActedOut, summary="办结 / resolve", description=ACT_ERRORS)
def resolve(request: HttpRequest, number: str, body: ResolveIn) -> ActedOut:
    return _act(request, number, Action.RESOLVE, body)


@router.post("/{number}/close", response=ActedOut, summary="核实销号 / close", description=ACT_ERRORS)
def close(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    return _act(request, number, Action.CLOSE, body)


@router.post(
    "/{number}/callback",
    response=ActedOut,
    summary="回访(不满意则重新整改)/ call back (unsatisfied reopens it)",
    description=ACT_ERRORS,
)
def callback(request: HttpRequest, number: str, body: CallbackIn) -> ActedOut:
    return _act(request, number, Action.CALLBACK, body)


@router.post(
    "/{number}/reopen",
    response=ActedOut,
    summary="重新整改(回访不满意)/ reopen (a callback: unsatisfied)",
    description=ACT_ERRORS,
)
def reopen(request: HttpRequest, number: str, body: ActionIn) -> ActedOut:
    """The page reopens a problem by its callback form with 不满意: the same here."""
    reopening = CallbackIn(**body.dict(), satisfaction=Satisfaction.UNSATISFIED)
    return _act(request, number, Action.CALLBACK, reopening, name=Action.REOPEN)


@router.post(
    "/{number}/merge", response=ActedOut, summary="合并 / merge into another", description=ACT_ERRORS
)
def merge(request: HttpRequest, number: str, body: MergeIn) -> ActedOut:
    return _act(request, number, Action.MERGE, body)


@router.post("/{number}/note", response=ActedOut, summary="备注 / add a note", description=ACT_ERRORS)
def note(request: HttpRequest, number: str, body: NoteIn) -> ActedOut:
    return _act(request, number, Action.NOTE, body)
