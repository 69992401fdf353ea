"""The seed articles' figures (``shared/SEED_FIGURES.md``) as the replays aim at them.

``ARTICLE_*`` hold each metric id with the value the article prints (a share as a fraction, an
amount in its bulletin unit). The replays write raw records only; these numbers are what their
plans are sized from and what the tests compare the metrics with. Where the article counts units
of a tree that differs from the real 2023 one, the replay covers the units that exist and
``TREE_FIGURES`` says which figures are the tree's (see ``minqing.demo.replay.notes``).
"""

import datetime as dt
from decimal import Decimal

ULANHOT_CODE = "152201000000"
ULANHOT_AS_OF = dt.date(2019, 12, 20)
ULANQAB_CODE = "150900000000"
ULANQAB_AS_OF = dt.date(2015, 6, 30)

ARTICLE_ULANHOT: dict[str, int] = {
    "research.topics.key": 189,
    "research.interviews.person_times": 59_282,
    "problems.public_self.count": 267,
    "problems.public_self.on_the_spot": 238,
    "problems.petition_backlog.resolved": 9,
    "problems.prominent.resolved": 71,
    "supervision.groups": 8,
    "supervision.rounds.min_per_group": 5,
    "orgs.following.agency": 66,
    "orgs.following.township": 14,
    "orgs.following.village": 111,
    "orgs.following.non_public": 97,
    "study.reading_class.sessions": 329,
    "study.reading_class.people": 6_122,
    "study.seminar.sessions": 167,
    "study.seminar.person_times": 1_903,
    "study.exemplar.sessions": 162,
    "study.exemplar.person_times": 4_882,
    "study.tutorial_lecture.sessions": 190,
    "study.tutorial_lecture.person_times": 3_453,
    "problems.public.count": 84,
    "problems.public.on_the_spot": 58,
    "problems.public.rectifying": 26,
    "research.leaders_without_report": 0,
}

ARTICLE_ULANQAB: dict[str, int | Decimal] = {
    "plans.reviewed.county": 11,
    "plans.reviewed.department": 84,
    "lectures.secretaries_without_lecture": 0,
    "lectures.other_members.people": 380,
    "study.special_seminar.sessions": 96,
    "study.central_group.sessions": 173,
    "study.weekend_lecture.person_times": 2_110,
    "study.branch_study.person_times": 10_425,
    "programme.funds": Decimal("17.75"),
    "programme.target.housing.quantity": 41_350,
    "programme.target.housing.share": Decimal("0.796"),
    "programme.target.village_cleanup.quantity": 86_121,
    "programme.target.village_cleanup.share": Decimal("0.735"),
    "programme.target.road_paving.quantity": 2_082,
    "programme.target.road_paving.share": Decimal("0.84"),
    "programme.target.clinic.quantity": 344,
    "programme.target.clinic.share": Decimal("0.945"),
    "programme.target.culture_room.quantity": 477,
    "programme.target.culture_room.share": Decimal("0.952"),
    "programme.target.shop.quantity": 343,
    "programme.target.shop.share": Decimal("0.882"),
    "demonstration.covered.county": 11,
    "demonstration.covered.township": 107,
    "demonstration.covered.agency": 121,
    "demonstration.covered.enterprise": 151,
    "demonstration.covered.village": 1_550,
    "demonstration.covered.grid": 10_107,
    "demonstration.households": 560_000,
    "plans.filed": 684,
    "study.mobilisation.sessions": 555,
    "demonstration.cadres": 9_667,
    "visits.contact_points.person_times": 72_858,
    "catalogue.power.departments": 55,
    "catalogue.power.categories": 10,
    "catalogue.power.items": 3_719,
    "reforms.measures": 236,
    "reforms.results": 222,
    "reforms.key": 24,
    "reforms.key_with_staged_result": 18,
    "commendations.count": 103,
}

# Figures that count units of the real tree: the replay covers every such unit that exists, so the
# value is the tree's; the article's differs (its counts are from 2015 and 2019).
TREE_FIGURES = {
    "orgs.following.village": "嘎查村和社区",
    "demonstration.covered.township": "苏木乡镇(街道)",
    "demonstration.covered.village": "嘎查村(社区)",
    "demonstration.covered.grid": "村民小组(社区网格)",
    "demonstration.households": "户",
}
