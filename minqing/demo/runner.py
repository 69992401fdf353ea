"""Run a tier's stages in order and report what each created."""

import time
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from minqing.core.audit_context import bulk_writes
from minqing.demo.context import DemoContext
from minqing.demo.marker import demo_mark_loaded
from minqing.demo.registry import discover, registered, stages_for
from minqing.demo.tiers import EXPECTED_LABELS, TierSpec
from minqing.orgs.models import Unit


@dataclass
class DemoReport:
    tier: str
    seed: int
    skipped: bool = False
    stages: list[tuple[str, str, dict[str, int], float]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def run_demo(
    *, tier: TierSpec, seed: int, out: Any, progress: bool | None = None, if_empty: bool = False
) -> DemoReport:
    report = DemoReport(tier=tier.name, seed=seed)
    if if_empty and Unit.objects.exists():
        out.write(_("数据库中已有单位数据,跳过演示数据加载。") + "\n")
        report.skipped = True
        return report
    discover()
    ctx = DemoContext(tier=tier, seed=seed, out=out, progress=progress)
    out.write(_("加载演示数据:规模 {tier},随机种子 {seed}").format(tier=tier.name, seed=seed) + "\n")
    with bulk_writes(f"demo {tier.name} seed {seed}"):  # one audit row for the whole load
        for stage in stages_for(tier.name):
            t0 = time.monotonic()
            counts = stage.func(ctx)
            dt = time.monotonic() - t0
            report.stages.append((stage.name, str(stage.label), counts, dt))
            shown = ", ".join(f"{k} +{v:,}" for k, v in counts.items())
            label = str(stage.label)
            out.write(f"  {label}{' ' * max(24 - 2 * len(label), 1)}{shown:<28} {dt:7.1f} s\n")
    demo_mark_loaded(tier=tier.name, seed=seed)  # the demo's published password is now allowed
    report.missing = [name for name in tier.expected_stages if not registered(name)]
    if report.missing:
        out.write(
            _("以下阶段尚未提供(相应功能尚未实现),未加载:{names}").format(
                names="、".join(f"{EXPECTED_LABELS.get(n, n)}({n})" for n in report.missing)
            )
            + "\n"
        )
    total = sum(s[3] for s in report.stages)
    out.write(_("完成,用时 {seconds:.1f} 秒。").format(seconds=total) + "\n")
    return report
