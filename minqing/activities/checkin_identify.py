"""Who is checking in on a phone: a person number, or a name plus the last digits of a phone.

Phones are encrypted at rest (``PersonIdentity.phone``): SQL cannot filter on them. Candidates
are found by name (plain, indexed) within the activity's organiser subtree, then each decrypted
phone's last digits are compared here. Each comparison of a public attempt is audited
(``VIEW_PERSONAL`` without an actor, the outcome saying whether it matched).
"""

import enum
import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_noop

from minqing.activities.models import Activity
from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor, is_signed_in
from minqing.orgs.models import Person

_SPACES = re.compile(r"\s+")
ACTOR_NAME = gettext_noop("手机签到")  # stored in audit rows as is: the attendee is not signed in


class Match(enum.Enum):
    FOUND = "found"
    NONE = "none"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Identified:
    match: Match
    person: Person | None = None


def normalise_name(name: str) -> str:
    """Spaces dropped and the middle dot's variants made one (``forms.names_match`` ignores case too)."""
    return _SPACES.sub("", name or "").replace("•", "·").replace("・", "·")


def _name_variants(name: str) -> set[str]:
    norm = normalise_name(name)
    return {norm, norm.replace("·", "•"), norm.replace("·", "・")}


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def by_name_and_phone_tail(
    activity: Activity,
    name: str,
    tail: str,
    request: HttpRequest | None,
    *,
    actor: Actor,
) -> Identified:
    """The one person of the organiser's subtree with this name whose phone ends in ``tail``.

    ``actor``: who looks (staff checking people in through the API, or the phone page's visitor,
    usually not signed in: the audit row then names the phone check-in)."""
    if not normalise_name(name) or not tail:
        return Identified(Match.NONE)
    candidates = (
        Person.objects.filter(prefix_q(activity.organiser.path), name__in=_name_variants(name))
        .select_related("identity")
        .order_by("pk")
    )
    matched: list[Person] = []
    for person in candidates:
        identity = getattr(person, "identity", None)
        phone = _digits(identity.phone) if identity is not None else ""
        if phone and phone.endswith(tail):
            matched.append(person)
    result = (
        Identified(Match.FOUND, matched[0])
        if len(matched) == 1
        else Identified(Match.AMBIGUOUS if matched else Match.NONE)
    )
    signed_in = is_signed_in(actor)
    audit(
        actor=actor if signed_in else None,
        actor_name="" if signed_in else ACTOR_NAME,
        action=AuditEvent.Action.VIEW_PERSONAL,
        obj=result.person,
        object_type="" if result.person else "activities.activity",
        object_id="" if result.person else str(activity.pk),
        detail=f"phone tail check-in {activity.short_code}: {result.match.value}",
        outcome=AuditEvent.Outcome.SUCCESS if result.person else AuditEvent.Outcome.FAILURE,
        request=request,
    )
    return result
