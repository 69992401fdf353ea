"""``{hot_topics}`` in a bulletin: the top hot topics of the unit's subtree, in one sentence.

The period is the ``DAYS`` days up to and including the as-of date; the topics are those of the
hot-topics page (``minqing.nlp.topics``: messages grouped by matter, ranked by the heat index,
docs/nlp.md), read as the system, as the bulletin's figures are, once the actor's right to the unit
is checked. The sentence is complete (lead, the topics, full stop), so a template gives it a line of
its own::

    近30日（2019年11月21日至12月20日）群众反映较集中的问题有3个：一是“道路 塌陷”（和平街道，
    5条反映、6人）；二是……；三是……。

and when no two messages were about one matter: 近30日（…）没有多人集中反映同一问题的情况。
Computed only when a template prints it (a clustering of up to 5,000 messages).
"""

import datetime as dt

from minqing.core.local_days import midnight
from minqing.nlp.topics.cluster import Topic
from minqing.nlp.topics.selectors import unit_hot_topics
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Unit
from minqing.reports.bulletins.formatting import format_date

DAYS = 30
TOP = 3
ORDINALS = "一二三四五六七八九十"


def period(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day the sentence covers."""
    return as_of - dt.timedelta(days=DAYS - 1), as_of


def _topic(i: int, t: Topic) -> str:
    counts = f"{t.size}条反映、{t.people}人"
    where = f"{t.place}，{counts}" if t.place else counts
    label = t.label.replace("“", "‘").replace("”", "’")  # quotes inside the quotes: single ones
    return f"{ORDINALS[i]}是“{label}”（{where}）"


def sentence(topics: list[Topic], first: dt.date, last: dt.date) -> str:
    span = f"近{DAYS}日（{format_date(first, 'zh-hans')}至{format_date(last, 'zh-hans')}）"
    if not topics:
        return f"{span}没有多人集中反映同一问题的情况。"
    listed = "；".join(_topic(i, t) for i, t in enumerate(topics))
    return f"{span}群众反映较集中的问题有{len(topics)}个：{listed}。"


def hot_topics_sentence(unit: Unit, as_of: dt.date) -> str:
    first, last = period(as_of)
    topics = unit_hot_topics(SYSTEM, unit, midnight(first), midnight(last + dt.timedelta(days=1)), top=TOP)
    return sentence(topics, first, last)
