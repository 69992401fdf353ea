"""Hot topics: messages grouped by matter, ranked by the heat index.

Grouping: each message's text (title + the first ``DETAIL_CHARS`` characters of its details) is
put in a character-bigram index (``minqing.nlp.duplicates.index``); every message is linked to
its ``NEIGHBOURS`` best matches scoring at least ``LINK`` *both ways round* (each is among the
other's best matches), and the connected components of those links are the topics. The
mutual-neighbour rule keeps one short generic message ("噪音扰民") from chaining unrelated
matters together.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from minqing.nlp.duplicates.index import ShingleIndex
from minqing.nlp.topics.heat import HeatInputs, heat, window_days

DETAIL_CHARS = 120
NEIGHBOURS = 10
LINK = 0.5
MIN_SIZE = 2
LABEL_CHARS = 24

_COUNTY = re.compile(r"[A-Z]\d{0,2}[市县区]")
_SPOT = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9]{2,8}?(?:小区|社区|村|镇|乡|街道|大道|路|街|广场|公园|中学|小学|学校|医院|市场)"
)
_LEAD = re.compile(
    r"^(?:关于|反映|投诉|举报|咨询|请问|建议|市民来电反映|来电人?称|群众电话反映|网友留言|有群众反映)+[::,,]?"
)


# a letter's opening to an official (尊敬的易书记：您好！, 市长；您好！, 尊敬的市委、市政府：) says
# nothing about its matter, yet hundreds of letters share it word for word: it is left out of the
# text that is grouped (on the real messages it once made a "topic" of sixteen unrelated letters)
_GREETING = re.compile(
    r"^\s*(?:(?:尊敬|敬爱|亲爱)的)?[^。！？!?\n]{0,16}?"
    r"(?:书记|市长|县长|区长|旗长|盟长|主任|厅长|局长|部长|处长|领导|同志|委员|市委|市政府|政府)"
    r"[^。！？!?\n：:，,；;]{0,12}?"
    r"(?:[：:，,；;]\s*(?:[您你]们?好)?|\s*[您你]们?好)\s*[！!，,。]?\s*"
)


def without_greeting(text: str) -> str:
    """``text`` without a letter's opening salutation (尊敬的易书记：您好！...)."""
    return _GREETING.sub("", text, count=1)


@dataclass(frozen=True)
class Message:
    id: str
    user: str  # "" when unknown: the message counts as its own person
    title: str
    time: dt.datetime
    detail: str = ""
    likes: int = 0
    against: int = 0
    place: str = ""  # where, when the source says (a ledger unit); else read from the text
    persons: int = 1  # people this message speaks for when ``user`` is unknown (a group visit)
    ref: str = ""  # the ledger problem number, when from the ledger

    def text(self) -> str:
        """What is grouped: the title and the start of the details, salutations left out."""
        return f"{without_greeting(self.title)}\n{without_greeting(self.detail)[:DETAIL_CHARS]}"


@dataclass(frozen=True)
class Topic:
    rank: int
    heat: float
    label: str
    place: str
    start: dt.datetime
    end: dt.datetime
    size: int
    people: int
    messages: list[Message]

    def as_json(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "heat": round(self.heat, 3),
            "label": self.label,
            "place": self.place,
            "start": self.start.isoformat(sep=" "),
            "end": self.end.isoformat(sep=" "),
            "size": self.size,
            "people": self.people,
            "ids": [m.id for m in self.messages],
        }


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def group_messages(messages: Sequence[Message]) -> list[tuple[list[int], list[float]]]:
    """Groups of message positions (at least ``MIN_SIZE``), with each member's summed link score."""
    index = ShingleIndex()
    texts = [m.text() for m in messages]  # each once: the salutation's regex runs per message
    index.add(list(enumerate(texts)))
    near: list[dict[int, float]] = []
    for i, text in enumerate(texts):
        near.append({n: s for n, s in index.search(text, k=NEIGHBOURS + 1) if n != i and s >= LINK})
    edges = [(i, j) for i, nb in enumerate(near) for j in nb if j > i and i in near[j]]
    out = []
    for members in _components(len(messages), edges):
        if len(members) >= MIN_SIZE:
            centrality = [sum(near[i].get(j, 0.0) for j in members) for i in members]
            out.append((sorted(members), [centrality[members.index(i)] for i in sorted(members)]))
    return out


def _label(messages: Sequence[Message], centrality: Sequence[float]) -> str:
    best = messages[int(np.argmax(centrality))]
    title = _LEAD.sub("", without_greeting(best.title.strip())).strip()
    if not title:  # a title that is only a salutation: the details' first words say what it is about
        title = re.split(r"[。！？!?\n]", without_greeting(best.detail.strip()), maxsplit=1)[0].strip()
    title = title or best.title.strip()
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1] + "…"


def _place(messages: Sequence[Message]) -> str:
    given = Counter(m.place for m in messages if m.place)
    if given:
        return given.most_common(1)[0][0]
    counties: Counter[str] = Counter()
    spots: Counter[str] = Counter()
    for m in messages:
        text = f"{m.title} {m.detail[:DETAIL_CHARS]}"
        counties.update(set(_COUNTY.findall(text)))
        spots.update(set(_SPOT.findall(_COUNTY.sub(" ", text))))
    parts = [c for c, _ in counties.most_common(1)] + [
        s for s, n in spots.most_common(1) if n >= 2 or not counties
    ]
    return " ".join(parts)


def hot_topics(
    messages: Sequence[Message],
    top: int = 10,
    period: tuple[dt.datetime, dt.datetime] | None = None,
) -> list[Topic]:
    """The ``top`` hottest topics among ``messages`` in ``period`` (start, end; by default from
    the first to the last message)."""
    if not messages:
        return []
    start, end = period or (min(m.time for m in messages), max(m.time for m in messages))
    window = window_days((end - start).total_seconds() / 86400)
    recent_from = end - dt.timedelta(days=window)
    found = []
    for members, centrality in group_messages(messages):
        pairs = sorted(
            zip([messages[i] for i in members], centrality, strict=True), key=lambda p: (p[0].time, p[0].id)
        )
        ms = [m for m, _ in pairs]
        people = len({m.user for m in ms if m.user}) + sum(max(1, m.persons) for m in ms if not m.user)
        inputs = HeatInputs(
            size=len(ms),
            people=people,
            support=sum(m.likes - m.against for m in ms),
            age_days=(end - ms[-1].time).total_seconds() / 86400,
            recent=sum(1 for m in ms if m.time > recent_from),
            window_days=window,
        )
        found.append((heat(inputs), ms, [c for _, c in pairs], people))
    found.sort(key=lambda t: (-t[0], -len(t[1]), t[1][0].id))
    return [
        Topic(
            rank=r,
            heat=h,
            label=_label(ms, cen),
            place=_place(ms),
            start=ms[0].time,
            end=ms[-1].time,
            size=len(ms),
            people=people,
            messages=ms,
        )
        for r, (h, ms, cen, people) in enumerate(found[:top], start=1)
    ]
