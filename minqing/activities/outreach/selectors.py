"""Reads of research, visits and work plans; every function takes the actor and is scoped.

A record outside the actor's scope raises ``Http404``, exactly as a missing one does.
"""

from typing import Any

from django.core.paginator import Page
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from minqing.activities.coverage_rules import Period
from minqing.activities.models import Interview, ResearchReport, ResearchTopic, Visit, WorkPlan
from minqing.campaigns.models import Campaign
from minqing.core.pages import paginate
from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Household, Person, Unit
from minqing.orgs.scoping import can_access_unit, scoped


def _require(actor: Actor, unit: Unit) -> None:
    if not can_access_unit(actor, unit):
        raise Http404


# --- units, campaigns, people --------------------------------------------------------------


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    """All campaigns: names and periods are public within the platform (a county works in the
    province's campaign)."""
    return Campaign.objects.select_related("scope").order_by("-start_date", "name")


def campaign_get(pk: Any) -> Campaign | None:
    if not str(pk or "").isdigit():
        return None
    return Campaign.objects.filter(pk=int(pk)).first()


def person_by_number(actor: Actor, number: str) -> Person | None:
    number = number.strip()
    if not number:
        return None
    return scoped(Person.objects.filter(number=number), actor).select_related("unit").first()


def households_by_number(actor: Actor, number: str, grid_code: str = "") -> list[Household]:
    """Households in the actor's scope with this number (numbers are unique within a grid)."""
    number = number.strip()
    if not number:
        return []
    qs = scoped(Household.objects.filter(number=number), actor).select_related("grid")
    if grid_code.strip():
        qs = qs.filter(grid__code=grid_code.strip())
    return list(qs.order_by("path")[:5])


# --- the index -------------------------------------------------------------------------------


def outreach_counts(actor: Actor, unit: Unit, *, campaign: Campaign | None = None) -> dict[str, int]:
    """The index page's counts over the subtree: topics, visits and work plans (for the campaign
    when given; visits have no campaign and are all counted)."""
    _require(actor, unit)
    under = prefix_q(unit.path)
    topics = scoped(ResearchTopic.objects.filter(under), actor)
    plans = scoped(WorkPlan.objects.filter(under), actor)
    if campaign is not None:
        topics, plans = topics.filter(campaign=campaign), plans.filter(campaign=campaign)
    return {
        "research": topics.count(),
        "visits": scoped(Visit.objects.filter(under), actor).count(),
        "plans": plans.count(),
    }


# --- research --------------------------------------------------------------------------------


def research_topics(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, page: Any = 1
) -> Page[Any]:
    """Topics of the subtree with their interview person-times and report count."""
    return paginate(
        research_topic_queryset(actor, unit, campaign=campaign).order_by("-created_at", "-id"), page
    )


def research_topic_queryset(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None
) -> QuerySet[ResearchTopic]:
    """Topics of the subtree (unordered) with their report count."""
    _require(actor, unit)
    qs = scoped(ResearchTopic.objects.filter(prefix_q(unit.path)), actor)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("leader", "unit", "campaign").annotate(
        n_reports=Count("reports", distinct=True),
    )


def topic_get(actor: Actor, pk: int) -> ResearchTopic:
    topic = (
        scoped(ResearchTopic.objects.filter(pk=pk), actor)
        .select_related("leader", "unit", "campaign")
        .first()
    )
    if topic is None:
        raise Http404
    return topic


def topic_interviews(actor: Actor, topic: ResearchTopic) -> QuerySet[Interview]:
    return Interview.objects.filter(topic=topic).order_by("-date", "-id")


def topic_reports(actor: Actor, topic: ResearchTopic) -> QuerySet[ResearchReport]:
    qs = ResearchReport.objects.filter(topic=topic).select_related("author")
    return qs.order_by("-submitted_on", "-id")


def interview_person_times(actor: Actor, unit: Unit, *, campaign: Campaign | None = None) -> tuple[int, int]:
    """(interviews, person-times) on the subtree's topics."""
    _require(actor, unit)
    topics = scoped(ResearchTopic.objects.filter(prefix_q(unit.path)), actor)
    if campaign is not None:
        topics = topics.filter(campaign=campaign)
    agg = Interview.objects.filter(topic__in=topics).aggregate(n=Count("id"), pt=Sum("person_times"))
    return agg["n"] or 0, agg["pt"] or 0


# --- visits ----------------------------------------------------------------------------------


def visits(actor: Actor, unit: Unit, *, period: Period | None = None, page: Any = 1) -> Page[Any]:
    return paginate(visit_queryset(actor, unit, period=period).order_by("-date", "-id"), page)


def visit_queryset(actor: Actor, unit: Unit, *, period: Period | None = None) -> QuerySet[Visit]:
    """Visits of the subtree (unordered), in ``period`` when given."""
    _require(actor, unit)
    qs = scoped(Visit.objects.filter(prefix_q(unit.path)), actor)
    if period is not None:
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    return qs.select_related("cadre", "household", "household__grid", "unit", "problem")


def visit_get(actor: Actor, pk: int) -> Visit:
    visit = (
        scoped(Visit.objects.filter(pk=pk), actor)
        .select_related("cadre", "household", "household__grid", "unit", "problem")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


# --- work plans ------------------------------------------------------------------------------


def workplans(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, state: str = "", page: Any = 1
) -> Page[Any]:
    _require(actor, unit)
    qs = scoped(WorkPlan.objects.filter(prefix_q(unit.path)), actor)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if state:
        qs = qs.filter(state=state)
    qs = qs.select_related("unit", "campaign", "reviewed_by")
    return paginate(qs.order_by("-filed_at", "-id"), page)


def workplan_get(actor: Actor, pk: int) -> WorkPlan:
    plan = scoped(WorkPlan.objects.filter(pk=pk), actor).select_related("unit", "campaign").first()
    if plan is None:
        raise Http404
    return plan
