"""Reads of campaigns, scoped to the actor."""

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
