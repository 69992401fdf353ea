"""Ulanhot 2019: the study activities (读书班, 研讨, 典型教育, 辅导讲座, 专题党课, 支部学习会, 志愿服务).

Sized to the article: 329 reading classes whose rosters hold exactly 6,122 different people;
167 seminars with 1,903 person-times, 162 exemplar-education sessions with 4,882, 190 tutorial
lectures with 3,453 (each session a roster drawn from its organiser's people where there are
enough of them, else a recorded headcount: the sum is exact either way). Every party
organisation of the 14 towns and streets, of their villages and communities, of the agencies
and of the non-public organisations organises at least one activity before 2019-12-20. Some
activities fall after that date, in the campaign's last weeks.
"""

import dataclasses
import datetime as dt
import random

from minqing.demo.context import DemoContext
from minqing.demo.plan import short_name
from minqing.demo.replay.common import Act, Planner, Who, at, days, organisers, pool_under, sized
from minqing.demo.replay.figures import ARTICLE_ULANHOT as FIG
from minqing.demo.replay.ulanhot2019.world import AS_OF, END, PREFIX, STREAM, World
from minqing.orgs.enums import Rank, UnitKind
from minqing.orgs.models import Unit

SECRETARY = "书记"
SEMINAR_TOPICS = (
    "学习贯彻习近平新时代中国特色社会主义思想",
    "坚定理想信念、筑牢初心使命",
    "对标对表、查找差距",
    "担当作为、狠抓落实",
    "为民服务解难题",
    "传承红色基因、弘扬乌兰夫精神",
    "推进城市基层党建示范市建设",
    "打赢脱贫攻坚战",
    "加强党的政治建设",
    "民族团结进步",
)
EXEMPLAR_PLACES = (
    "内蒙古民族解放纪念馆",
    "五一大会旧址",
    "内蒙古党委办公旧址",
    "乌兰夫办公旧址",
    "社区党员群众教育基地",
    "中共党史长廊",
    "兴安党史长廊",
)
LECTURE_TOPICS = (
    "党章党规解读",
    "《习近平关于“不忘初心、牢记使命”重要论述选编》导读",
    "中国共产党内蒙古地区历史",
    "民族区域自治制度",
    "新时代基层治理",
    "乡村振兴战略",
    "优化营商环境政策解读",
    "全面从严治党",
)
VOLUNTEER = (
    "帮助社区居民整治白色垃圾",
    "向建档立卡贫困户宣传政策",
    "入户征求群众意见建议",
    "为年老党员送学上门",
    "为环卫工人设立“爱心驿站”",
    "城乡帮扶农产品展销",
    "为平房区居民解决饮水问题",
    "为企业开展防范危险事故应急培训",
)


def _name(u: Unit) -> str:
    return short_name(u.name)


def reading_classes(p: Planner, w: World) -> None:
    """329 reading classes whose rosters hold exactly 6,122 different people."""
    rng = p.rng("reading_class")
    total, wanted = FIG["study.reading_class.sessions"], FIG["study.reading_class.people"]
    division = [x for x in w.people if x.rank == Rank.DIVISION]
    rest = [x for x in w.people if x.rank != Rank.DIVISION]
    if len(w.people) < wanted:
        raise ValueError(f"乌兰浩特市只有 {len(w.people)} 人,少于读书班参学人数 {wanted}")
    chosen = division + rng.sample(rest, wanted - len(division))

    city_titles = (
        ("全市处级领导干部“不忘初心、牢记使命”主题教育集中学习读书班", dt.date(2019, 9, 4)),
        ("全市科级领导干部主题教育集中学习读书班", dt.date(2019, 9, 10)),
        ("全市党员干部主题教育读书班", dt.date(2019, 9, 17)),
    )
    city = [
        Act(
            p.number(),
            "reading_class",
            w.city,
            t,
            at(d, 8, 30),
            at(d + dt.timedelta(days=2), 17, 30),
            place="市委党校",
        )
        for t, d in city_titles
    ]
    orgs = organisers(
        rng,
        total - len(city),
        [(w.towns, 2), (w.agencies, 2), (w.all_villages, 1)],
        w.non_public,
    )
    window = days(dt.date(2019, 9, 9), dt.date(2019, 10, 31), workdays=True)
    drafts: list[tuple[Unit, dt.date]] = sorted(
        ((o, rng.choice(window)) for o in orgs), key=lambda x: (x[1], x[0].code)
    )
    classes_by_org: dict[str, list[int]] = {}
    for i, (o, _d) in enumerate(drafts):
        classes_by_org.setdefault(o.path, []).append(i)
    rosters: list[set[int]] = [set() for _ in drafts]
    city_rosters: list[set[int]] = [set(), set(), set()]

    def own_class(x: Who) -> list[set[int]]:
        path = x.path
        while len(path) > len(w.city.path):
            if path in classes_by_org:
                return [rosters[i] for i in classes_by_org[path]]
            path = path[: -Unit.steplen]
        return [city_rosters[2]]

    for x in chosen:
        if x.rank == Rank.DIVISION:
            city_rosters[0].add(x.id)
            continue
        first = city_rosters[1] if x.rank == Rank.SECTION and rng.random() < 0.5 else rng.choice(own_class(x))
        first.add(x.id)
        if rng.random() < 0.12:
            rng.choice([*own_class(x), city_rosters[2]]).add(x.id)
    chosen_ids = [x.id for x in chosen]
    chosen_set = set(chosen_ids)
    for i, (o, _d) in enumerate(drafts):  # a class none of its own people attend: people of the area above
        if not rosters[i]:
            near = [
                x.id for x in pool_under(p.people, o.path[: -Unit.steplen]) if x.id in chosen_set
            ] or chosen_ids
            rosters[i].update(rng.sample(near, min(3, len(near))))
    for act, roster in zip(city, city_rosters, strict=True):
        p.acts.append(dataclasses.replace(act, roster=tuple(sorted(roster))))
    for (o, d), roster in zip(drafts, rosters, strict=True):
        p.add(rng, "reading_class", o, d, f"{_name(o)}主题教育集中学习读书班", roster=tuple(sorted(roster)))


def study(p: Planner, w: World) -> None:
    late = days(dt.date(2019, 9, 20), dt.date(2019, 12, 18), workdays=True)
    rng = p.rng("organisers")

    def weight(o: Unit) -> float:
        return 3.0 if o.kind == UnitKind.COUNTY else rng.uniform(0.6, 1.4)

    def topic(r: random.Random, o: Unit) -> tuple[str, str]:
        return f"{_name(o)}“{r.choice(SEMINAR_TOPICS)}”专题研讨", ""

    def visit(r: random.Random, o: Unit) -> tuple[str, str]:
        place = r.choice(EXEMPLAR_PLACES)
        return f"{_name(o)}赴{place}开展典型教育", place

    def lecture(r: random.Random, o: Unit) -> tuple[str, str]:
        return f"{_name(o)}辅导讲座:{r.choice(LECTURE_TOPICS)}", ""

    seminar = organisers(
        rng, FIG["study.seminar.sessions"], [([w.city], 5), (w.towns, 3), (w.agencies, 1)], w.all_villages
    )
    sized(
        p,
        p.rng("seminar"),
        "seminar",
        seminar,
        FIG["study.seminar.person_times"],
        late,
        minimum=4,
        roster_share=0.8,
        title=topic,
        weight=weight,
    )
    exemplar = organisers(
        rng,
        FIG["study.exemplar.sessions"],
        [([w.city], 6), (w.towns, 2)],
        rng.sample(w.agencies, 48) + w.all_villages,
    )
    sized(
        p,
        p.rng("exemplar"),
        "exemplar",
        exemplar,
        FIG["study.exemplar.person_times"],
        late,
        minimum=8,
        roster_share=0.3,
        title=visit,
        weight=weight,
    )
    tutorial = organisers(
        rng,
        FIG["study.tutorial_lecture.sessions"],
        [([w.city], 8), (w.towns, 2), (w.agencies, 1)],
        rng.sample(w.non_public, 28) + w.all_villages,
    )
    sized(
        p,
        p.rng("tutorial_lecture"),
        "tutorial_lecture",
        tutorial,
        FIG["study.tutorial_lecture.person_times"],
        late,
        minimum=5,
        roster_share=0.6,
        title=lecture,
        weight=weight,
    )


def lectures_and_service(p: Planner, w: World) -> None:
    """A party lecture by the secretary of every following organisation; branch study; volunteers."""
    rng = p.rng("other")
    window = days(dt.date(2019, 10, 8), dt.date(2019, 12, 13), workdays=True)
    for o in w.following:
        sec = next((x for x in p.people.get(o.path, []) if SECRETARY in x.duties), None)
        if sec is not None:
            p.add(
                rng,
                "party_lecture",
                o,
                rng.choice(window),
                f"{_name(o)}书记讲专题党课",
                headcount=rng.randint(8, 60),
                lecturers=(sec.id,),
            )
    branch = rng.sample(w.all_villages + w.agencies + w.non_public, 200)
    for o in branch:
        p.add(
            rng, "branch_study", o, rng.choice(window), f"{_name(o)}支部学习会", headcount=rng.randint(5, 30)
        )
    for o in rng.sample(w.all_villages + w.towns + w.agencies, 60):
        what = rng.choice(VOLUNTEER)
        p.add(
            rng,
            "volunteer",
            o,
            rng.choice(window),
            f"{_name(o)}党员志愿服务:{what}",
            headcount=rng.randint(8, 40),
        )
    held = {a.organiser.pk for a in p.acts if a.start.date() <= AS_OF}
    for o in w.following:  # every following organisation has held something by the article's date
        if o.pk not in held:
            p.add(
                rng,
                "branch_study",
                o,
                rng.choice(window),
                f"{_name(o)}支部学习会",
                headcount=rng.randint(5, 30),
            )


AFTER = (
    ("reading_class", "读书班", 12),
    ("seminar", "研讨", 20),
    ("exemplar", "典型教育", 10),
    ("tutorial_lecture", "辅导讲座", 12),
    ("branch_study", "支部学习会", 30),
)


def after_as_of(p: Planner, w: World) -> None:
    """Sessions in the campaign's last weeks: a bulletin as of 2019-12-20 leaves them out."""
    rng = p.rng("after")
    window = days(AS_OF + dt.timedelta(days=1), END - dt.timedelta(days=14), workdays=True)
    for code, name, n in AFTER:
        for o in rng.sample(w.following, n):
            p.add(rng, code, o, rng.choice(window), f"{_name(o)}主题教育{name}", headcount=rng.randint(8, 40))


def plan(ctx: DemoContext, world: World) -> list[Act]:
    p = Planner(ctx, STREAM, PREFIX, world.people)
    reading_classes(p, world)
    study(p, world)
    lectures_and_service(p, world)
    after_as_of(p, world)
    return p.acts
