"""Hot topics: planted topics rank first, the heat index behaves as documented, the command's
JSON shape and errors."""

import csv
import datetime as dt
import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minqing.nlp.topics.cluster import Message, hot_topics
from minqing.nlp.topics.heat import HeatInputs, heat
from minqing.nlp.topics.planted import OUT, SIZES

KEYS = {"rank", "heat", "label", "place", "start", "end", "size", "people", "ids"}
HEADER = "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n"


def nlp(*args: str) -> list[dict]:
    out = StringIO()
    call_command("nlp", *args, stdout=out)
    return json.loads(out.getvalue())


def test_planted_topics_rank_first_whole_and_pure() -> None:
    with (OUT / "planted_truth.csv").open(encoding="utf-8") as fh:
        truth = {r["留言编号"]: int(r["topic"]) for r in csv.DictReader(fh)}
    top = nlp("hot-topics", str(OUT / "planted.csv"), "--top", str(len(SIZES)), "--json")
    assert len(top) == len(SIZES)
    found = set()
    for t in top:
        assert set(t) == KEYS
        topics = Counter(truth.get(i, 0) for i in t["ids"])
        topic, members = topics.most_common(1)[0]
        assert topic != 0, t["label"]  # a planted topic, not background
        assert members / t["size"] >= 0.9  # pure
        assert members / SIZES[topic - 1] >= 0.9  # whole
        found.add(topic)
    assert found == set(range(1, len(SIZES) + 1))
    assert [t["rank"] for t in top] == list(range(1, len(SIZES) + 1))
    assert [t["heat"] for t in top] == sorted((t["heat"] for t in top), reverse=True)


def inputs(**kw: float) -> HeatInputs:
    base = {"size": 10, "people": 10, "support": 0, "age_days": 0, "recent": 0, "window_days": 30}
    return HeatInputs(**(base | kw))  # type: ignore[arg-type]


def test_heat_index() -> None:
    assert heat(inputs(people=10)) > heat(inputs(people=5))  # more people
    assert heat(inputs(people=5, size=10)) > heat(inputs(people=5, size=5))  # repeat callers count
    assert heat(inputs(people=5, size=10)) < heat(inputs(people=10, size=10))  # ... but half
    assert heat(inputs(support=100)) > heat(inputs(support=0))  # likes
    # support never outweighs the people who wrote: one viral pair is not a 10-person topic
    assert heat(inputs(size=2, people=2, support=100_000)) < heat(inputs(size=10, people=10))
    assert heat(inputs(age_days=60)) < heat(inputs(age_days=0))  # recency
    assert heat(inputs(age_days=30)) == pytest.approx(heat(inputs(age_days=0)) * 0.75)  # half-life
    assert heat(inputs(recent=10)) == pytest.approx(2 * heat(inputs(recent=0)))  # growth
    assert heat(inputs(size=0, people=0)) == 0


def test_grouping_links_rewordings_not_unrelated_matters() -> None:
    t0 = dt.datetime(2019, 5, 1)
    texts = [
        "A3区万家丽路噪音扰民",
        "投诉A3区万家丽路工地噪音扰民!",
        "万家丽路工地夜间施工噪音扰民严重",
        "业主",
    ]
    texts += ["K9县桃花中学乱收费", "C4市自来水价格上涨"]
    msgs = [Message(str(i), f"u{i}", t, t0 + dt.timedelta(days=i)) for i, t in enumerate(texts)]
    (topic,) = hot_topics(msgs)
    assert [m.id for m in topic.messages] == ["0", "1", "2"]
    assert topic.place.startswith("A3区")
    assert "万家丽路" in topic.label
    assert (topic.start, topic.end) == (t0, t0 + dt.timedelta(days=2))


def test_letters_sharing_only_their_salutation_are_no_topic() -> None:
    """Hundreds of real letters open with the same words (尊敬的易书记：您好！); on the shipped
    messages that once made a "topic" of unrelated letters labelled with the salutation."""
    from minqing.nlp.topics.cluster import without_greeting

    assert without_greeting("尊敬的易书记：您好！新开铺南路常年被大货车碾压") == "新开铺南路常年被大货车碾压"
    assert without_greeting("市长；您好！在百忙之中打扰您了") == "在百忙之中打扰您了"
    assert without_greeting("尊敬的市委、市政府：A市是一座历史名城") == "A市是一座历史名城"
    assert without_greeting("建议F5县政府重视物流园的建设") == "建议F5县政府重视物流园的建设"  # no salutation
    t0 = dt.datetime(2019, 5, 1)
    letters = [
        ("尊敬的易书记：您好！", "新开铺南路钢材市场路段常年被大货车碾压，路面坑洼"),
        ("尊敬的易书记：您好！", "五岭阁公园的标志性建筑从建成到现在从未对市民开放"),
        ("尊敬的易书记：您好！", "我们小区门口的化粪池已满，脏水四溢无人清理"),
        ("尊敬的易书记：您好！", "正规校车收费低却担着很大的风险，希望给予补贴"),
    ]
    msgs = [Message(str(i), f"u{i}", t, t0, detail=t + d) for i, (t, d) in enumerate(letters)]
    assert hot_topics(msgs) == []
    same = [
        *msgs,
        Message(
            "9",
            "u9",
            "新开铺南路被大货车压坏",
            t0,
            detail="尊敬的易书记：您好！新开铺南路钢材市场路段路面坑洼",
        ),
    ]
    (topic,) = hot_topics(same)
    assert [m.id for m in topic.messages] == ["0", "9"] and "易书记" not in topic.label


def test_command_top_and_shape(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    rows = [
        "1,U1,A3区万家丽路工地噪音扰民,2019/2/28 11:25:05,晚上施工到凌晨,0,3",
        "2,U2,投诉A3区万家丽路工地噪音扰民,2019/3/1 8:00:00,,1,0",
        "3,U2,A3区万家丽路工地夜间噪音扰民,2019/3/2 9:00:00,,0,0",
        "4,U4,K9县桃花中学乱收费,2019/3/3 10:00:00,,0,0",
    ]
    f.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    (t,) = nlp("hot-topics", str(f), "--top", "3", "--json")
    assert set(t) == KEYS
    assert (t["rank"], t["size"], t["people"], sorted(t["ids"])) == (1, 3, 2, ["1", "2", "3"])
    assert (t["start"], t["end"]) == ("2019-02-28 11:25:05", "2019-03-02 09:00:00")
    assert nlp("hot-topics", str(f), "--top", "1") == [t]


@pytest.mark.parametrize(
    ("rows", "top", "zh", "en"),
    [
        ("1,U1,路灯坏了,昨天,,0,0\n", "3", "无法识别", "not understood"),
        ("1,U1,路灯坏了,2019/2/28 11:25:05,,0,很多\n", "3", "不是非负整数", "whole number"),
        ("1,U1,路灯坏了,2019/2/28 11:25:05,,0\n", "3", "应为 7 列", "should have 7"),
        ("1,U1,路灯坏了,2019/2/28 11:25:05,,0,0\n", "0", "正整数", "positive whole number"),
    ],
)
def test_command_errors_in_both_languages(tmp_path: Path, rows: str, top: str, zh: str, en: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(CommandError) as err:
        nlp("hot-topics", str(f), "--top", top, "--json")
    assert zh in str(err.value)
    assert en in str(err.value)


def test_command_rejects_a_wrong_header(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="留言编号,留言用户") as err:
        nlp("hot-topics", str(f))
    assert "header" in str(err.value)


def test_shipped_planted_set_is_its_builder_output() -> None:
    from minqing.nlp.topics.planted import build
    from minqing.nlp.topics.teddy import read_messages

    rows, truth = build()
    shipped = read_messages(OUT / "planted.csv")
    assert [m.id for m in shipped] == [r[0] for r in rows]
    assert [m.title for m in shipped] == [r[2].strip() for r in rows]
    with (OUT / "planted_truth.csv").open(encoding="utf-8") as fh:
        assert {(r["留言编号"], int(r["topic"])) for r in csv.DictReader(fh)} == set(truth)
