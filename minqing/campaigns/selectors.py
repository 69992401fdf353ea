"""Reads of campaigns, scoped to the actor."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from minqing.campaigns.models import Campaign
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, scope_q


def visible_campaigns(actor: Actor) -> QuerySet[Campaign]:
    """Campaigns over a unit of the actor's scope, or over an ancestor of it (a county's campaign
    is a township's campaign too)."""
    prefixes = actor_prefixes(actor)
    qs = Campaign.objects.select_related("scope")
    if prefixes is None:
        return qs
    steplen = Unit.steplen
    ancestors = {p[:k] for p in prefixes for k in range(steplen, len(p), steplen)}
    return qs.filter(scope_q(actor) | Q(path__in=sorted(ancestors)))


def campaign_by_id(actor: Actor, value: Any) -> Campaign | None:
    text = str(value or "").strip()
    if not text.isdigit():
        return None
    return visible_campaigns(actor).filter(pk=int(text)).first()


def current_campaign(actor: Actor, today: dt.date) -> Campaign | None:
    """The campaign the actor sees running today (the latest started), else None."""
    running = (
        visible_campaigns(actor)
        .filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )
    return running.order_by("-start_date", "-pk").first()


def default_period(actor: Actor, campaign: Campaign | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """A period filter's default: the selected campaign's dates, else the current campaign's,
    else the last 12 months (both ends included)."""
    chosen = campaign or current_campaign(actor, today)
    if chosen is not None:
        return chosen.start_date, chosen.end_date or max(today, chosen.start_date)
    return last_twelve_months(today), today


def last_twelve_months(today: dt.date) -> dt.date:
    """The first day of the twelve months ending ``today`` (a year back, the day after)."""
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - 1, day=day) + dt.timedelta(days=1)
