"""The 问题 file format of DESIGN.md, shared by ``minqing import problems`` and the exports.

One row per problem, Chinese headers (English aliases accepted on import), values in the
Chinese words of the design (来源 群众反映 …, 状态 已登记 …, 是 / 否). ``ProblemRow`` is a row's
values, typed; ``cells()`` renders them the one canonical way, so an export re-imports
unchanged and an import can tell whether an existing problem already says the same thing.
Reporter identity is not part of the format.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils import translation

from minqing.core.importing.values import format_datetime
from minqing.core.tabular import Column
from minqing.ledger.enums import Channel, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.models import Problem

COLUMNS = (
    Column("number", "问题编号", ("number", "编号"), required=True),
    Column("campaign", "专题名称", ("campaign", "专题")),
    Column("source", "来源", ("source", "问题来源"), required=True),
    Column("channel", "渠道", ("channel", "反映渠道")),
    Column("title", "标题", ("title", "问题标题"), required=True),
    Column("content", "内容", ("content", "description", "问题内容", "问题描述")),
    Column("unit_code", "所属单位代码", ("unit_code", "unit", "单位代码"), required=True),
    Column("responsible_unit_code", "责任单位代码", ("responsible_unit_code", "responsible_unit")),
    Column("registered_at", "登记时间", ("registered_at", "登记日期"), required=True),
    Column("prominent", "是否突出问题", ("prominent", "突出问题")),
    Column("claimed_by", "认领人员编号", ("claimed_by", "认领领导编号")),
    Column("must_solve", "是否必解问题", ("must_solve", "必解问题")),
    Column("state", "状态", ("state", "办理状态")),
    Column("resolved_at", "办结时间", ("resolved_at", "办结日期")),
    Column("resolution_kind", "办结方式", ("resolution_kind",)),
    Column("measures", "整改措施", ("measures",)),
    Column("satisfaction", "满意度", ("satisfaction",)),
)
HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]

RESOLVED_STATES = frozenset({State.RESOLVED, State.CLOSED})
# States past assignment: the row must name the unit that handles it.
NEEDS_RESPONSIBLE = frozenset(
    {State.ASSIGNED, State.ACCEPTED, State.RECTIFYING, State.RESOLVED, State.CLOSED}
)
YES, NO = "是", "否"


def source_words(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """value -> the Chinese word (the untranslated label), whatever language is active."""
    with translation.override(None):
        return {value: str(label) for value, label in choices}


CHOICES: dict[str, Sequence[tuple[str, Any]]] = {
    "source": Source.choices,
    "channel": Channel.choices,
    "state": State.choices,
    "resolution_kind": ResolutionKind.choices,
    "satisfaction": Satisfaction.choices,
}


@cache
def words(kind: str) -> dict[str, str]:
    return source_words(CHOICES[kind])


def _word(kind: str, value: str) -> str:
    return words(kind).get(value, value) if value else ""


@dataclass
class ProblemRow:
    """A row's values, typed: codes and numbers for the related records, enum values, aware datetimes."""

    number: str
    campaign: str
    source: str
    channel: str
    title: str
    content: str
    unit_code: str
    responsible_unit_code: str
    registered_at: dt.datetime
    prominent: bool
    claimed_by: str
    must_solve: bool
    state: str
    resolved_at: dt.datetime | None
    resolution_kind: str
    measures: str
    satisfaction: str

    @classmethod
    def of(cls, p: Problem) -> "ProblemRow":
        """A problem as a row (``campaign``, ``unit``, ``responsible_unit``, ``claimed_by`` selected)."""
        return cls(
            number=p.number,
            campaign=p.campaign.name if p.campaign else "",
            source=p.source,
            channel=p.channel,
            title=p.title,
            content=p.description,
            unit_code=p.unit.code,
            responsible_unit_code=p.responsible_unit.code if p.responsible_unit else "",
            registered_at=p.registered_at,
            prominent=p.prominent,
            claimed_by=p.claimed_by.number if p.claimed_by else "",
            must_solve=p.must_solve,
            state=p.state,
            resolved_at=p.resolved_at,
            resolution_kind=p.resolution_kind,
            measures=p.measures,
            satisfaction=p.satisfaction,
        )

    def cells(self) -> dict[str, str]:
        """Column key -> the text written in a file."""
        return {
            "number": self.number,
            "campaign": self.campaign,
            "source": _word("source", self.source),
            "channel": _word("channel", self.channel),
            "title": self.title.strip(),
            "content": self.content.strip(),
            "unit_code": self.unit_code,
            "responsible_unit_code": self.responsible_unit_code,
            "registered_at": format_datetime(self.registered_at),
            "prominent": YES if self.prominent else NO,
            "claimed_by": self.claimed_by,
            "must_solve": YES if self.must_solve else NO,
            "state": _word("state", self.state),
            "resolved_at": format_datetime(self.resolved_at),
            "resolution_kind": _word("resolution_kind", self.resolution_kind),
            "measures": self.measures.strip(),
            "satisfaction": _word("satisfaction", self.satisfaction),
        }

    def line(self) -> list[str]:
        cells = self.cells()
        return [cells[k] for k in KEYS]
