"""Hot topics of the ledger: the messages (feedback and problems) of a unit's subtree in a
period, as the actor may see them, grouped and ranked (``minqing.nlp.topics.cluster``).

A message is one feedback item (a letter, call, visit or online post) received in the period
on a problem of the unit's subtree (its own unit or the responsible unit), plus each problem
registered in the period with no feedback at all (found on a visit, an inspection). People: a
reporter's identity is never read here (it is encrypted and every read is audited), so each
item counts as one person, a group visit as its number of visitors; repeat callers are not told
apart. Place: the problem's unit. The top ``CACHE_TOP`` topics are cached for ``CACHE_SECONDS``
per (actor, unit, period): topics may be that much behind the ledger. The dashboard only reads
the cache (``cached_hot_topics``): it never waits for a clustering; the hot-topics page computes.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from minqing.core.paths import prefix_q
from minqing.ledger.access import scoped_problems
from minqing.ledger.models import Feedback, Problem
from minqing.nlp.topics.cluster import Message, Topic, hot_topics
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

MAX_MESSAGES = 5000  # the newest, when a period holds more
CACHE_SECONDS = 600
CACHE_TOP = 20  # the cache keeps this many, whoever asked first: the page and the dashboard share it


@dataclass(frozen=True)
class TopicProblem:
    number: str
    title: str


def _problems(actor: Actor, unit: Unit) -> Any:
    subtree = prefix_q(unit.path, "path") | prefix_q(unit.path, "responsible_path")
    return scoped_problems(Problem.objects.filter(subtree), actor)


def ledger_messages(actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime) -> list[Message]:
    """The messages of ``unit``'s subtree received in [start, end), newest ``MAX_MESSAGES``."""
    problems = _problems(actor, unit)
    feedback = (
        Feedback.objects.filter(problem__in=problems, received_at__gte=start, received_at__lt=end)
        .select_related("problem__unit")
        .order_by("-received_at", "-id")[:MAX_MESSAGES]
    )
    out = [
        Message(
            id=f"f{f.pk}",
            user="",
            title=f.title,
            time=f.received_at,
            detail=f.content,
            place=f.problem.unit.name if f.problem is not None else "",
            persons=f.visitors or 1,
            ref=f.problem.number if f.problem is not None else "",
        )
        for f in feedback
    ]
    alone = (
        Problem.objects.filter(pk__in=problems.values("pk"))
        .filter(registered_at__gte=start, registered_at__lt=end, feedback__isnull=True)
        .select_related("unit")
        .order_by("-registered_at", "-id")[: max(0, MAX_MESSAGES - len(out))]
    )
    out += [
        Message(
            id=f"p{p.pk}",
            user="",
            title=p.title,
            time=p.registered_at,
            detail=p.description,
            place=p.unit.name,
            ref=p.number,
        )
        for p in alone
    ]
    return out


def _cache_key(actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime) -> str:
    actor_key = getattr(actor, "pk", str(actor))
    raw = f"{type(actor).__name__}:{actor_key}|{unit.pk}|{start.isoformat()}|{end.isoformat()}"
    return "nlp-hot-" + hashlib.sha256(raw.encode()).hexdigest()


def unit_hot_topics(
    actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime, top: int = 10
) -> list[Topic]:
    """The ``top`` hot topics of ``unit``'s subtree over [start, end) (cached; see the module)."""
    key = _cache_key(actor, unit, start, end)
    found = cache.get(key)
    if found is None or (len(found) < top and top > CACHE_TOP):
        messages = ledger_messages(actor, unit, start, end)
        found = hot_topics(messages, top=max(top, CACHE_TOP), period=(start, end))
        cache.set(key, found, CACHE_SECONDS)
    return list(found[:top])


def cached_hot_topics(
    actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime, top: int = 10
) -> list[Topic] | None:
    """What ``unit_hot_topics`` computed lately for the same question, or ``None``: the
    dashboard's block, which never waits for a clustering."""
    found = cache.get(_cache_key(actor, unit, start, end))
    return None if found is None else list(found[:top])


def topic_problems(topic: Topic) -> list[TopicProblem]:
    """The distinct problems of a topic's messages, in the topic's order."""
    titles = dict(
        Problem.objects.filter(number__in=[m.ref for m in topic.messages if m.ref]).values_list(
            "number", "title"
        )
    )
    seen: list[TopicProblem] = []
    for m in topic.messages:
        if m.ref in titles and all(p.number != m.ref for p in seen):
            seen.append(TopicProblem(m.ref, titles[m.ref]))
    return seen


__all__ = ["TopicProblem", "cached_hot_topics", "ledger_messages", "topic_problems", "unit_hot_topics"]
