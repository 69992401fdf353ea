"""``minqing tree CODE [--json]``: what is under a unit, counted by kind."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from minqing.core.errors import DomainError
from minqing.orgs.counts import SubtreeCounts, subtree_counts
from minqing.orgs.enums import AssignmentKind, UnitKind, UnitSubkind
from minqing.orgs.services.units import resolve_unit


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


class Command(BaseCommand):
    help = "统计单位下级的单位、户、人员和联系分工 / Count what is under a unit."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("code", help="单位代码:12 位区划代码、简写(如 150900)或单位自己的代码")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出(键名稳定)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            unit = resolve_unit(opts["code"])
        except DomainError as e:
            with override("en"):
                english = str(e)
            with override("zh-hans"):
                chinese = str(e)
            if english == chinese:  # no English catalogue entry yet: say it plainly
                english = f"{e.code.name.lower().replace('_', ' ')}: {opts['code']}"
            msg = f"{chinese} / {english}"
            raise CommandError(msg) from e
        counts = subtree_counts(unit)
        if opts["json"]:
            self.stdout.write(json.dumps(counts.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._table(counts)

    def _table(self, c: SubtreeCounts) -> None:
        u = c.unit
        rows: list[tuple[str, int]] = []
        for kind in UnitKind.values:
            subs = c.units.get(kind)
            if not subs:
                continue
            rows.append((_label(UnitKind, kind), sum(subs.values())))
            if len(subs) > 1 or "" not in subs:
                for sub, n in sorted(subs.items(), key=lambda kv: UnitSubkind.values.index(kv[0])):
                    rows.append(("  " + _label(UnitSubkind, sub), n))
        rows.append((_("下级单位合计"), c.units_total))
        rows.append((_("户"), c.households))
        rows.append((_("人员"), c.people))
        rows.append(("  " + _("其中党员"), c.party_members))
        for kind in AssignmentKind.values:
            rows.append(
                (_("联系分工:{kind}").format(kind=_label(AssignmentKind, kind)), c.assignments.get(kind, 0))
            )
        self.stdout.write(f"{u.name}({u.code}){_label(UnitKind, u.kind)}")
        w = max(_width(r[0]) for r in rows) + 2
        head = _("项目")
        self.stdout.write(head + " " * (w - _width(head)) + _("数量").rjust(12))
        self.stdout.write("-" * (w + 12))
        for label, n in rows:
            self.stdout.write(label + " " * (w - _width(label)) + f"{n:>12,}")
