"""What the page's script draws: the dashboard's figures as plain JSON (through ``json_script``).

Every number here is also in a table of the page; the charts only draw them. Texts are
translated here so that the script holds no words of its own.
"""

from collections.abc import Callable
from typing import Any

from django.templatetags.static import static
from django.utils.translation import gettext as _

from minqing.orgs.models import Unit
from minqing.reports.dashboard.selectors import MAP_METRICS, Dashboard

LinkFn = Callable[[Unit], str]


def _pairs(rows: list[tuple[str, str, int]]) -> dict[str, list[Any]]:
    return {"keys": [r[0] for r in rows], "labels": [r[1] for r in rows], "values": [r[2] for r in rows]}


def chart_payload(d: Dashboard, link: LinkFn, metric: str, echarts: bool) -> dict[str, Any]:
    p = d.problems
    # the chart of child units: the areas (counties, townships, villages, grids) when there are
    # any; agencies and organisations stay in the table
    charted = [r for r in d.children if r.territorial] or d.children
    payload: dict[str, Any] = {
        "echarts": echarts,
        "text": {
            "noCharts": _("图表组件(ECharts)未安装,图表无法显示;数据见下方表格。"),
            "noMap": _("地图数据未能加载;数据见下方表格。"),
            "sessions": _("次/场"),
            "personTimes": _("人次"),
            "people": _("人"),
            "onTheSpot": _("立行立改"),
            "otherResolved": _("其他方式办结"),
            "share": _("完成比例(%)"),
            "noResolved": _("期间内没有已办结的问题"),
        },
        "state": _pairs(p.state_rows()),
        "source": _pairs(p.source_rows()),
        "channel": _pairs(p.channel_rows()),
        "onTheSpot": {"onTheSpot": p.on_the_spot, "other": p.resolved - p.on_the_spot},
        "types": {
            "labels": [t.type.name for t in d.types],
            "sessions": [t.sessions for t in d.types],
            "personTimes": [t.person_times for t in d.types],
            "people": [t.people for t in d.types],
        },
        "series": {
            "labels": [s.label for s in d.series],
            "sessions": [s.sessions for s in d.series],
            "personTimes": [s.person_times for s in d.series],
        },
        "programmes": [
            {
                "id": b.pk,
                "targets": [r.name for r in b.rows],
                "shares": [r.share for r in b.rows],
            }
            for b in d.programmes
        ],
        "metrics": [{"key": m.key, "label": str(m.label)} for m in MAP_METRICS],
        "metric": metric,
        "children": {
            "labels": [r.unit.name for r in charted],
            "urls": [link(r.unit) for r in charted],
            "values": [r.values() for r in charted],
        },
        "map": None,
    }
    if d.map is not None:
        payload["map"] = {
            "files": [static(f) for f in d.map.files],
            "areas": [
                {
                    "name": a.name,
                    "code": a.code,
                    "values": a.values,
                    "current": a.current,
                    "url": link(a.unit) if a.link and a.unit is not None else "",
                }
                for a in d.map.areas
            ],
        }
    return payload
