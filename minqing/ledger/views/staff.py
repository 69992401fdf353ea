"""Staff pages of the problem ledger: thin views over ``selectors``, ``forms`` and the services.

A problem the user may not see is a 404, exactly like a missing one. Writes go only through
``feedback_submit``, ``problem_transition`` and ``problem_moderate``.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.pages import paginate
from minqing.ledger import selectors
from minqing.ledger.access import can_see_problem, reporter_feedback_ids
from minqing.ledger.enums import Action, Channel, Moderation, Source, State
from minqing.ledger.forms import ACTION_FORMS, ActionForm, IntakeForm, ModerationForm, new_token
from minqing.ledger.models import Problem
from minqing.ledger.selectors import QueueFilters, QueueTab, ReporterRow
from minqing.ledger.selectors_work import BLOCKS, WorkKey
from minqing.ledger.services.intake import feedback_submit
from minqing.ledger.services.moderation import can_moderate, problem_moderate, suggested_public
from minqing.ledger.services.workflow import allowed_actions, problem_transition
from minqing.nlp.intake import (
    Duplicates,
    IntakeSuggestions,
    intake_suggestions,
    message_duplicates,
    problem_duplicates,
)
from minqing.nlp.services import suggestion_record
from minqing.orgs import policy
from minqing.photos.services import photos_attach_to_update, prepare_uploads, takes_photos

INTAKE_CHANNELS = (Channel.LETTER, Channel.VISIT, Channel.CALL)
# the intake page's buttons that show the suggestions instead of registering
SUGGEST_BUTTONS = ("suggest", "accept_category", "accept_unit", "accept_merge")
INTAKE_NOT_INITIAL = ("csrfmiddlewaretoken", *SUGGEST_BUTTONS)
EXTENSION_DECISIONS = (Action.GRANT_EXTENSION, Action.DENY_EXTENSION)
DENIED_CODES = (ErrorCode.PERMISSION_DENIED, ErrorCode.TRANSITION_ROLE)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "")
    tab = tab if tab in QueueTab.VALUES else QueueTab.UNIT
    filters = QueueFilters.from_mapping(request.GET)
    work = request.GET.get("work", "")
    work = work if work in WorkKey.VALUES else ""
    page = selectors.problem_queue(request.user, tab=tab, filters=filters, page=request.GET, work=work)
    context = {
        "tab": tab,
        "tabs": QueueTab.CHOICES,
        "filters": filters,
        "page_obj": page,
        "unit_error": page.unit_error,
        "states": State.choices,
        "sources": Source.choices,
        "channels": Channel.choices,
        "moderations": Moderation.choices,
        "export_query": urlencode({"tab": tab, **filters.as_query()}),
        "work": work,
        "work_label": BLOCKS[work][0] if work else "",
    }
    return render(request, "ledger/queue.html", context)


@never_cache
@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """A clerk records a letter, a visit or a call; afterwards the problem's page shows its tracking code."""
    policy.require_role(request.user, policy.INTAKE)
    channel = request.GET.get("channel", Channel.LETTER)
    if channel not in INTAKE_CHANNELS:
        channel = Channel.LETTER
    if request.method != "POST":
        form = IntakeForm(actor=request.user, channel=channel, initial={"token": new_token()})
        return _intake_page(request, form, channel)
    if any(name in request.POST for name in SUGGEST_BUTTONS):
        return _suggest_page(request, channel)
    form = IntakeForm(request.POST, actor=request.user, channel=channel)
    if not form.is_valid():
        return _intake_page(request, form, channel, _suggestions(request), _duplicates(request))
    d = form.cleaned_data
    key = f"i:{d['token']}" if d.get("token") else None
    try:
        fb = feedback_submit(
            actor=request.user,
            channel=channel,
            title=d["title"],
            content=d["content"],
            unit=d["unit_obj"],
            reporter=form.reporter(),
            anonymous=bool(d.get("anonymous")),
            details=form.details(),
            place=d.get("place", ""),
            category=d.get("category"),
            urgency=d["urgency"],
            merge_into=d.get("merge_into"),
            idempotency_key=key,
        )
    except DomainError as err:
        form.add_error(None, err.message)
        return _intake_page(request, form, channel)
    problem = fb.problem
    assert problem is not None
    if d.get("merge_into") is None:  # a new problem: record what was suggested and what was chosen
        shown = _suggestions(request)
        suggestion_record(
            actor=request.user,
            problem=problem,
            categories=shown.categories,
            units=shown.units,
            chosen_category=d.get("category"),
            chosen_unit=d["unit_obj"],
        )
    messages.success(
        request,
        _("已登记:问题编号 {number},查询码 {code}(请告知反映人,用于查询办理进度)").format(
            number=problem.number, code=fb.tracking_code
        ),
    )
    return redirect("ledger:detail", number=problem.number)


def _suggestions(request: HttpRequest) -> IntakeSuggestions:
    """The category and unit suggestions for the posted title, content and place. The clerk's own
    unit choice is not used as the place (it is what is being suggested); same-named units are
    resolved within the clerk's scope."""
    post = request.POST
    return intake_suggestions(
        request.user,
        title=post.get("title", "")[:200],
        content=post.get("content", "")[:5000],
        place=post.get("place", "")[:200],
    )


def _suggest_page(request: HttpRequest, channel: str) -> HttpResponse:
    """分析/建议 and the accept buttons without JavaScript: the form again, as typed, with the
    suggestions; an accept button fills the category or the unit code."""
    initial: dict[str, Any] = {k: v for k, v in request.POST.items() if k not in INTAKE_NOT_INITIAL}
    if request.POST.get("accept_category"):
        initial["category"] = request.POST["accept_category"]
    if request.POST.get("accept_unit"):
        initial["unit_code"], initial["unit"] = request.POST["accept_unit"], ""
    if request.POST.get("accept_merge"):
        initial["merge_number"] = request.POST["accept_merge"]
    form = IntakeForm(actor=request.user, channel=channel, initial=initial)
    return _intake_page(request, form, channel, _suggestions(request), _duplicates(request))


def _duplicates(request: HttpRequest) -> Duplicates:
    """The open problems the clerk may see most like the posted title and content."""
    post = request.POST
    return message_duplicates(
        request.user, title=post.get("title", "")[:200], content=post.get("content", "")[:5000]
    )


def _intake_page(
    request: HttpRequest,
    form: IntakeForm,
    channel: str,
    suggestions: IntakeSuggestions | None = None,
    duplicates: Duplicates | None = None,
) -> HttpResponse:
    context = {
        "suggestions": suggestions,
        "duplicates": duplicates,
        "form": form,
        "channel": channel,
        "channel_label": Channel(channel).label,
        "channels": [(c, Channel(c).label) for c in INTAKE_CHANNELS],
    }
    return render(request, "ledger/intake.html", context)


def _action_forms(
    request: HttpRequest, problem: Problem, bound: ActionForm | None, actions: list[str]
) -> list[dict[str, Any]]:
    pending = selectors.has_pending_extension(problem)
    out = []
    for action in actions:
        if action in EXTENSION_DECISIONS and not pending:
            continue  # nothing to decide yet
        if bound is not None and bound.action == action:
            form = bound
        else:
            form = ACTION_FORMS[action](actor=request.user, problem=problem)
        out.append({"action": action, "label": Action(action).label, "form": form})
    return out


def _detail(
    request: HttpRequest,
    problem: Problem,
    *,
    reporters: list[ReporterRow] | None = None,
    bound: ActionForm | None = None,
    moderation: ModerationForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    actions = allowed_actions(user, problem)
    feedback = selectors.problem_feedback(user, problem)
    reporter_ids = reporter_feedback_ids(user, problem, feedback)  # decided per feedback item
    context = {
        "problem": problem,
        "events": selectors.problem_events(user, problem),
        "feedback": feedback,
        "extensions": selectors.problem_extensions(user, problem),
        "ratings": selectors.problem_ratings(user, problem),
        "can_see_reporter": bool(reporter_ids),
        "reporter_ids": reporter_ids,
        "reporters": reporters,
        "action_forms": _action_forms(request, problem, bound, actions),
        "action_error": error,
        "suggestions": _detail_suggestions(request, problem),
        # whoever may merge it sees the open problems most like it, each with a one-click merge
        "duplicates": problem_duplicates(user, problem) if Action.MERGE in actions else None,
        "moderation_form": _moderation_form(request, problem, moderation),
    }
    return render(request, "ledger/detail.html", context, status=status)


def _moderation_form(
    request: HttpRequest, problem: Problem, bound: ModerationForm | None
) -> ModerationForm | None:
    """公开审核 for a moderator over the problem's unit (never on a merged duplicate): the public
    wording to start from is the stored one, else the title and content with personal details
    masked."""
    if bound is not None:
        return bound
    if problem.state == State.MERGED or not can_moderate(request.user, problem):
        return None
    title, text = suggested_public(problem)
    return ModerationForm(initial={"public_title": title, "public_text": text})


@require_POST
@login_required
def moderate(request: HttpRequest, number: str) -> HttpResponse:
    """Approve the problem for the public list (with its public title and text) or keep it private."""
    problem = selectors.problem_get(request.user, number)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        return _detail(request, problem, moderation=form)
    d = form.cleaned_data
    try:
        problem_moderate(
            actor=request.user,
            problem=problem,
            decision=d["decision"],
            public_title=d.get("public_title", ""),
            public_text=d.get("public_text", ""),
            note=d.get("note", ""),
        )
    except DomainError as err:
        status = 403 if err.code in DENIED_CODES else 200
        label = Action.MODERATE.label
        return _detail(request, problem, moderation=form, error=f"{label}:{err.message}", status=status)
    if d["decision"] == "approve":
        messages.success(request, _("已审核通过,问题已在公开清单中显示"))
    else:
        messages.success(request, _("已设为不公开"))
    return redirect("ledger:detail", number=problem.number)


def _detail_suggestions(request: HttpRequest, problem: Problem) -> IntakeSuggestions | None:
    """For whoever assigns it, while it waits to be assigned (online and API feedback are not
    seen by a clerk at intake): the suggestions, the problem's unit as the submitter's place.
    Never on a public page."""
    if problem.state != State.REGISTERED or not policy.has_role(
        request.user, policy.DISPATCHERS, problem.path
    ):
        return None
    return intake_suggestions(
        request.user, title=problem.title, content=problem.description, place_unit=problem.unit
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, selectors.problem_get(request.user, number))


@never_cache
@require_POST
@login_required
def reveal(request: HttpRequest, number: str) -> HttpResponse:
    """Show who reported the problem; audited. The accused unit (and anyone else not allowed) gets 404."""
    problem = selectors.problem_get(request.user, number)
    reporters = selectors.problem_reporters(request.user, problem, request)
    return _detail(request, problem, reporters=reporters)


@require_POST
@login_required
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    problem = selectors.problem_get(request.user, number)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, actor=request.user, problem=problem)
    if not form.is_valid():
        return _detail(request, problem, bound=form)
    label = Action(action).label
    try:  # photos of the update (minqing.photos): checked before, stored with the transition
        prepared = prepare_uploads(request.FILES.getlist("photos") if takes_photos(action) else [])
    except DomainError as err:
        return _detail(request, problem, bound=form, error=f"{label}:{err.message}")
    try:
        with transaction.atomic():
            problem = problem_transition(
                actor=request.user,
                problem=problem,
                action=action,
                expected_version=form.cleaned_data["expected_version"],
                **form.params(),
            )
            photos_attach_to_update(actor=request.user, problem=problem, prepared=prepared)
    except DomainError as err:
        status = 409 if err.code is ErrorCode.TRANSITION_STALE else 403 if err.code in DENIED_CODES else 200
        fresh = selectors.problem_get(request.user, number)
        return _detail(request, fresh, error=f"{label}:{err.message}", status=status)
    messages.success(request, _("已完成:{action}").format(action=label))
    if not can_see_problem(request.user, problem):  # e.g. returned: no longer this unit's problem
        return redirect("ledger:queue")
    return redirect("ledger:detail", number=problem.number)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    from minqing.ledger.services.notifications import notifications_for

    qs = notifications_for(request.user)
    page = paginate(qs, request.GET.get("page"))
    return render(request, "ledger/notifications.html", {"page_obj": page})


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    from minqing.ledger.services.notifications import notification_mark_read, notifications_for

    notification = notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notification_mark_read(actor=request.user, notification=notification)
    return redirect("ledger:notifications")
