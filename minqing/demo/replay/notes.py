"""Where the replayed records give another number than the seed article, and why.

``differences(code)`` computes every figure of the article for the seed unit (``152201`` or
``150900``) as of the article's date, in the campaign running then, and lists the figures whose
value is not the article's, each with its reason. Shares are compared at the article's precision
(three decimals). The known reason: the real 2023 tree has other units than the articles counted
(the replay covers those that exist). A figure that differs for a reason not listed here is a
defect of the replay.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from minqing.demo.replay.figures import (
    ARTICLE_ULANHOT,
    ARTICLE_ULANQAB,
    ULANHOT_AS_OF,
    ULANHOT_CODE,
    ULANQAB_AS_OF,
    ULANQAB_CODE,
)
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Unit
from minqing.reports.metrics import MetricContext, compute, default_campaign
from minqing.reports.metrics.registry import Number

SEEDS: dict[str, tuple[dt.date, Mapping[str, int | Decimal]]] = {
    ULANHOT_CODE: (ULANHOT_AS_OF, ARTICLE_ULANHOT),
    ULANQAB_CODE: (ULANQAB_AS_OF, ARTICLE_ULANQAB),
}
TREE = "现行区划(2023)与原文年份的单位数不同,回放覆盖现有的全部单位"
REASONS = {
    "orgs.following.village": f"{TREE}:14 个镇和街道下的嘎查村和社区全部紧密跟进",
    "demonstration.covered.township": f"{TREE}:全部乡级单位有示范联系",
    "demonstration.covered.village": f"{TREE}:全部村级单位有示范联系",
    "demonstration.covered.grid": "演示规模的网格数与原文不同,回放覆盖全部网格",
    "demonstration.households": "演示规模的户数与原文不同,回放覆盖全部网格的户",
}


@dataclass(frozen=True)
class Difference:
    metric: str
    article: Number
    value: Number
    reason: str


def same(value: Number, article: Number) -> bool:
    """Equal at the article's precision: shares to three decimals, the rest exactly."""
    if isinstance(article, Decimal):
        return round(Decimal(value), 3) == article
    return value == article


def seed_context(code: str) -> MetricContext:
    """The seed unit, the article's date and the campaign running then."""
    as_of, _figures = SEEDS[code]
    unit = Unit.objects.get(code=code)
    return MetricContext(unit=unit, as_of=as_of, campaign=default_campaign(unit, as_of), actor=SYSTEM)


def differences(code: str) -> list[Difference]:
    """The article's figures for ``code`` that the records give otherwise, with the reason."""
    _as_of, figures = SEEDS[code]
    values = compute(seed_context(code), list(figures))
    return [
        Difference(key, article, values[key].value, REASONS.get(key, "未说明"))
        for key, article in figures.items()
        if not same(values[key].value, article)
    ]
