"""Outreach pages: research, visits, work plans and the coverage page; thin views over
``selectors``, ``coverage_rules``, ``forms`` and the services.

Reads need any role in the unit's subtree (else 404); writes go through the services, whose
permission error becomes a 403 with nothing changed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.activities import coverage_rules as rules
from minqing.activities.coverage_rules import Period
from minqing.activities.models import WorkPlanState
from minqing.activities.outreach import selectors as sel
from minqing.activities.outreach.forms import (
    InterviewForm,
    ReportForm,
    ReviewForm,
    TopicForm,
    VisitForm,
    WorkPlanForm,
)
from minqing.activities.services import research, visits, workplans
from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import default_period
from minqing.core.errors import DomainError
from minqing.core.forms import fail
from minqing.core.pages import parse_date
from minqing.orgs import policy
from minqing.orgs.unit_filters import request_unit


def _campaign(request: HttpRequest) -> Campaign | None:
    return sel.campaign_get(request.GET.get("campaign"))


def _period(request: HttpRequest, campaign: Campaign | None) -> Period:
    """``?start=&end=`` (dates, both included); else the selected campaign's dates, the current
    campaign's, or the last 12 months."""
    default = default_period(request.user, campaign, timezone.localdate())
    start = parse_date(request.GET.get("start")) or default[0]
    end = parse_date(request.GET.get("end")) or default[1]
    if end < start:
        start, end = end, start
    return Period(start, end)


def _filters(request: HttpRequest) -> dict[str, Any]:
    unit = request_unit(request)
    campaign = _campaign(request)
    return {"unit": unit, "campaign": campaign, "campaigns": sel.campaigns(request.user)}


# --- the index -------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """``/outreach/``: research topics, visits, work plans and coverage, with their counts."""
    ctx = _filters(request)
    ctx["counts"] = sel.outreach_counts(request.user, ctx["unit"], campaign=ctx["campaign"])
    return render(request, "activities/outreach/index.html", ctx)


# --- research --------------------------------------------------------------------------------


@login_required
def research_list(request: HttpRequest) -> HttpResponse:
    ctx = _filters(request)
    unit, campaign = ctx["unit"], ctx["campaign"]
    ctx["page_obj"] = sel.research_topics(request.user, unit, campaign=campaign, page=request.GET.get("page"))
    ctx["interviews"], ctx["person_times"] = sel.interview_person_times(request.user, unit, campaign=campaign)
    if campaign is not None:
        ctx["leaders_count"], ctx["leaders"] = rules.division_leaders_without_report(
            request.user, unit, campaign=campaign, page=request.GET.get("lpage")
        )
    return render(request, "activities/outreach/research_list.html", ctx)


@login_required
def topic_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.UNIT_WRITERS)  # the services refuse others anyway
    form = TopicForm(request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            topic = research.topic_create(
                actor=request.user,
                title=d["title"],
                leader=d["leader_number"],
                unit=d["unit_code"],
                campaign=d.get("campaign"),
                is_key=bool(d.get("is_key")),
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            messages.success(request, _("已确定调研课题"))
            return redirect("outreach:topic", pk=topic.pk)
    ctx = {"form": form, "title": _("新建调研课题")}
    return render(request, "activities/outreach/form.html", ctx, status=status)


def _topic_page(
    request: HttpRequest,
    pk: int,
    interview: InterviewForm | None = None,
    report: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    topic = sel.topic_get(request.user, pk)
    ctx = {
        "topic": topic,
        "interviews": sel.topic_interviews(request.user, topic),
        "reports": sel.topic_reports(request.user, topic),
        "interview_form": interview or InterviewForm(),
        "report_form": report or ReportForm(actor=request.user),
    }
    return render(request, "activities/outreach/topic.html", ctx, status=status)


@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _topic_page(request, pk)


@require_POST
@login_required
def interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = sel.topic_get(request.user, pk)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        return _topic_page(request, pk, interview=form)
    d = form.cleaned_data
    try:
        research.interview_record(
            actor=request.user, topic=topic, date=d["date"], person_times=d["person_times"], notes=d["notes"]
        )
    except DomainError as err:
        return _topic_page(request, pk, interview=form, status=fail(form, err))
    messages.success(request, _("已记录访谈"))
    return redirect("outreach:topic", pk=pk)


@require_POST
@login_required
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = sel.topic_get(request.user, pk)
    form = ReportForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _topic_page(request, pk, report=form)
    d = form.cleaned_data
    try:
        research.report_submit(
            actor=request.user,
            topic=topic,
            title=d["title"],
            author=d.get("author_number"),
            submitted_on=d["submitted_on"],
        )
    except DomainError as err:
        return _topic_page(request, pk, report=form, status=fail(form, err))
    messages.success(request, _("已提交调研报告"))
    return redirect("outreach:topic", pk=pk)


# --- visits ----------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    ctx = _filters(request)
    period = _period(request, ctx["campaign"])
    ctx["period"] = period
    ctx["page_obj"] = sel.visits(request.user, ctx["unit"], period=period, page=request.GET.get("page"))
    return render(request, "activities/outreach/visit_list.html", ctx)


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.UNIT_WRITERS)  # the services refuse others anyway
    initial = {}
    person = getattr(request.user, "person", None)
    if person is not None:
        initial["cadre_number"] = person.number
    form = VisitForm(request.POST or None, actor=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = visits.visit_record(
                actor=request.user,
                cadre=d["cadre_number"],
                date=d["date"],
                household=d["household_obj"],
                unit=d["unit_obj"],
                notes=d["notes"],
                problem_title=d["problem_title"],
                problem_text=d["problem_text"],
                campaign=d.get("campaign"),
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            if visit.problem is not None:
                messages.success(
                    request, _("已记录走访,问题已登记:{number}").format(number=visit.problem.number)
                )
            else:
                messages.success(request, _("已记录走访"))
            return redirect("outreach:visits")
    ctx = {"form": form, "title": _("记录走访")}
    return render(request, "activities/outreach/form.html", ctx, status=status)


# --- work plans ------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    ctx = _filters(request)
    state = request.GET.get("state", "")
    state = state if state in WorkPlanState.values else ""
    ctx.update(state=state, states=WorkPlanState.choices)
    ctx["page_obj"] = sel.workplans(
        request.user, ctx["unit"], campaign=ctx["campaign"], state=state, page=request.GET.get("page")
    )
    return render(request, "activities/outreach/plan_list.html", ctx)


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.UNIT_WRITERS)  # the services refuse others anyway
    refile = None
    if request.GET.get("refile", "").isdigit():
        refile = sel.workplan_get(request.user, int(request.GET["refile"]))
    initial: dict[str, Any] = {}
    if refile is not None:
        initial = {"unit_code": refile.unit.code, "campaign": refile.campaign_id, "title": refile.title}
    form = WorkPlanForm(request.POST or None, actor=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = workplans.workplan_file(
                actor=request.user, unit=d["unit_code"], campaign=d["campaign"], title=d["title"], plan=refile
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            messages.success(request, _("已报送工作方案"))
            return redirect("outreach:plan", pk=plan.pk)
    title = _("重新报送工作方案") if refile is not None else _("报送工作方案")
    ctx = {"form": form, "title": title, "refile": refile}
    return render(request, "activities/outreach/form.html", ctx, status=status)


def _plan_page(
    request: HttpRequest, pk: int, form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    plan = sel.workplan_get(request.user, pk)
    ctx = {
        "plan": plan,
        "can_review": plan.state == WorkPlanState.FILED and workplans.can_review(request.user, plan),
        "review_form": form or ReviewForm(),
        "returned": plan.state == WorkPlanState.RETURNED,
    }
    return render(request, "activities/outreach/plan.html", ctx, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk)


@require_POST
@login_required
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.workplan_get(request.user, pk)
    if not workplans.can_review(request.user, plan):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, pk, form)
    d = form.cleaned_data
    try:
        workplans.workplan_review(
            actor=request.user, plan=plan, passed=d["decision"] == "pass", comments=d["comments"]
        )
    except DomainError as err:
        return _plan_page(request, pk, form, status=fail(form, err))
    messages.success(request, _("已审核工作方案"))
    return redirect("outreach:plan", pk=pk)


# --- coverage --------------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """All five lists for ``?unit=&campaign=&start=&end=``; each paged by its own parameter.

    Activity-based lists use the campaign when one is chosen, else the period; visits always
    use the period (the campaign's dates by default).
    """
    ctx = _filters(request)
    unit, campaign = ctx["unit"], ctx["campaign"]
    period = _period(request, campaign)
    by = {"campaign": campaign} if campaign is not None else {"period": period}
    user, g = request.user, request.GET.get
    results = [
        ("orgs", _("没有开展活动的党组织"), "unit", rules.party_orgs_without_activity),
        ("members", _("未参加任何学习的党员"), "person", rules.members_absent_from_study),
        ("villages", _("没有联系干部的村(社区)"), "unit", None),
        ("households", _("期间内未走访的户"), "household", None),
        ("secretaries", _("未讲专题党课的党组织书记"), "person", rules.secretaries_without_party_lecture),
    ]
    sections = []
    for key, label, kind, rule in results:
        number = g(f"p_{key}")
        if key == "villages":
            count, page = rules.villages_without_cadre(user, unit, page=number)
        elif key == "households":
            count, page = rules.households_not_visited(user, unit, period=period, page=number)
        else:
            assert rule is not None
            count, page = rule(user, unit, page=number, **by)
        prev_url = _page_url(request, f"p_{key}", page.previous_page_number()) if page.has_previous() else ""
        next_url = _page_url(request, f"p_{key}", page.next_page_number()) if page.has_next() else ""
        sections.append(
            {"key": key, "label": label, "kind": kind, "count": count, "page": page}
            | {"prev_url": prev_url, "next_url": next_url}
        )
    ctx["sections"] = sections
    ctx["period"] = period
    return render(request, "activities/outreach/coverage.html", ctx)


def _page_url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"
