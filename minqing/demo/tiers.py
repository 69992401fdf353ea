"""The demo's scale tiers (DESIGN.md "Scale and performance") as plain parameters.

A tier says which real trees to load, how many grids and households to spread under which
villages, which extra units (agencies, non-public organisations) to add, and which further
stages it expects from other apps (problems, activities, attendance ...). Tests build small
tiers with :func:`dataclasses.replace`.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from minqing.orgs.divisions import INNER_MONGOLIA, ULANQAB, XINGAN


@dataclass(frozen=True)
class TreeSource:
    """A shipped NBS file, optionally cut to one code prefix (plus that unit's ancestors)."""

    path: Path
    prefix: str = ""


@dataclass(frozen=True)
class OrgSet:
    """Extra units under one territorial unit: agencies or non-public organisations."""

    key: str
    parent_code: str
    city: str  # the name that prefixes the units' names
    code_prefix: str  # e.g. 152201-A -> 152201-A001
    kind: str  # "agency" or "non_public"
    count: int


ULANHOT_AGENCIES = OrgSet("ulanhot_agencies", "152201000000", "乌兰浩特市", "152201-A", "agency", 66)
ULANHOT_NON_PUBLIC = OrgSet("ulanhot_non_public", "152201000000", "乌兰浩特市", "152201-N", "non_public", 97)
ULANQAB_DEPARTMENTS = OrgSet("ulanqab_departments", "150900000000", "乌兰察布市", "150900-D", "agency", 84)

# Stages other apps will register (minqing.demo.registry); until then listed as not available.
EXPECTED_LABELS = {
    "seed_campaigns": _("两个种子专题的记录"),
    "seed_ulanqab2015": _("乌兰察布市专题教育回放"),
    "seed_ulanhot2019": _("乌兰浩特市主题教育回放"),
    "problems": _("问题"),
    "activities": _("活动"),
    "attendance": _("签到"),
}
LATER_STAGES = (
    "seed_ulanqab2015",
    "seed_ulanhot2019",
)  # the two seed campaigns' records (minqing.demo.replay)
CITY_STAGES = ("problems", "activities", "attendance")


@dataclass(frozen=True)
class TierSpec:
    name: str
    trees: tuple[TreeSource, ...]
    grid_scope: tuple[str, ...]  # short division prefixes (1509 = Ulanqab) whose villages get grids
    grids: int
    households: int
    org_sets: tuple[OrgSet, ...] = (ULANHOT_AGENCIES, ULANHOT_NON_PUBLIC, ULANQAB_DEPARTMENTS)
    village_contact_gap: float = 0.03  # share of villages left without a contact-point cadre
    grid_demonstration_gap: float = 0.01  # share of grids left without a demonstration contact
    pairing_per_cadre: int = 5  # households paired with each village cadre (in grid_scope)
    expected_stages: tuple[str, ...] = LATER_STAGES
    targets: dict[str, int] = field(default_factory=dict)  # sizes for registered stages


SEED = TierSpec(
    name="seed",
    trees=(TreeSource(ULANQAB), TreeSource(XINGAN)),
    grid_scope=("1509",),
    grids=10_107,
    households=560_000,
)
CITY = TierSpec(
    name="city",
    trees=SEED.trees,
    grid_scope=SEED.grid_scope,
    grids=SEED.grids,
    households=SEED.households,
    expected_stages=LATER_STAGES + CITY_STAGES,
    targets={"problems": 200_000, "activities": 100_000, "attendance": 2_000_000},
)
REGION = TierSpec(
    name="region",
    trees=(TreeSource(INNER_MONGOLIA),),
    grid_scope=("15",),
    grids=150_000,
    households=8_000_000,
    expected_stages=LATER_STAGES + CITY_STAGES,
    # 915,000 party members beside the 85,000 cadres: 1,000,000 people, most of whom attend something
    targets={
        "problems": 2_000_000,
        "activities": 1_000_000,
        "members": 915_000,
        "attendance": 20_000_000,
    },
)
# Ulanhot only, for tests and a quick look: seconds, not minutes.
MINI = TierSpec(
    name="mini",
    trees=(TreeSource(XINGAN, prefix="152201"),),
    grid_scope=("152201",),
    grids=50,
    households=500,
    org_sets=(ULANHOT_AGENCIES, ULANHOT_NON_PUBLIC),
    expected_stages=(),
    targets={"problems": 2_000, "activities": 500, "attendance": 5_000},
)

TIERS: dict[str, TierSpec] = {t.name: t for t in (SEED, CITY, REGION, MINI)}
