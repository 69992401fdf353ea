"""Duplicates across channels: the index, the shipped labelled set's floors, the command and
``similar_problems`` scoped to the actor."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from minqing.nlp.duplicates.diff import only_in
from minqing.nlp.duplicates.index import THRESHOLD, ShingleIndex
from minqing.nlp.duplicates.labelled import PAIRS_FILE, background, read
from minqing.nlp.duplicates.shingles import shingles

# measured on the test half (docs/nlp.md): precision 0.995, recall 0.969
FLOORS = {"precision": 0.98, "recall": 0.95}


def test_shingles_ignore_width_case_and_punctuation() -> None:
    assert np.array_equal(shingles("ＡＢ小区，路灯！"), shingles("ab小区路灯"))
    assert shingles("").size == 0
    assert shingles("路").size == 1


def test_phoned_in_summary_finds_the_long_online_post() -> None:
    index = ShingleIndex()
    post = (
        "尊敬的领导:我是A5区雅礼洋湖实验中学附近的居民,学校门口的垃圾箱长期没有人清理,"
        "夏天臭气熏天,蚊蝇乱飞,严重影响学生和居民的健康,希望有关部门尽快处理。"
    )
    index.add([("post", post), ("other", "M10县民乐中学乱收补课费,家长负担很重"), ("x", "K市医保报销太慢")])
    hits = index.search("来电反映:雅礼洋湖实验中学门口垃圾箱没人清理", k=3)
    assert index.ids[hits[0][0]] == "post"
    assert all(s < hits[0][1] / 2 for n, s in hits[1:])


def test_a_bare_word_is_not_enough_evidence() -> None:
    index = ShingleIndex()
    index.add([(1, "业主反映小区物业乱收停车费,多次投诉无果"), (2, "学校食堂饭菜质量差")])
    (hit,) = index.search("业主", k=1)
    assert hit[1] < THRESHOLD


def test_blocks_added_later_are_searched() -> None:
    index = ShingleIndex()
    index.add([(1, "村口路灯坏了三个月没人修")])
    index.add([(2, "红旗村自来水管道破裂漏水严重")])
    assert index.ids[index.search("红旗村水管破裂漏水", k=1)[0][0]] == 2
    index.compact()
    assert len(index.blocks) == 1
    assert index.ids[index.search("红旗村水管破裂漏水", k=1)[0][0]] == 2


def test_differing_words() -> None:
    assert only_in("村口路灯坏了三个月", "村口路灯坏了") == ["三个月"]
    # the edge characters both texts have are not part of the word
    assert only_in("路灯不亮来电人称泉山社区", "路灯不亮泉山社区") == ["来电人称"]
    assert only_in("村口路灯坏了", "村口路灯坏了三个月") == []


def _confusion(part: str) -> tuple[float, float]:
    index = background()
    rows = [r for r in read() if r["part"] == part]
    predicted = np.array([index.pair_score(r["a"], r["b"]) >= THRESHOLD for r in rows])
    truth = np.array([r["label"] == "1" for r in rows])
    tp = int((predicted & truth).sum())
    return tp / max(1, int(predicted.sum())), tp / int(truth.sum())


def test_shipped_labelled_set_floors() -> None:
    rows = read()
    assert {r["kind"] for r in rows} == {"title_detail", "rewrite", "hard_negative", "random_negative"}
    assert PAIRS_FILE.exists() and len(rows) > 3000
    precision, recall = _confusion("test")
    assert precision >= FLOORS["precision"]
    assert recall >= FLOORS["recall"]


def nlp(*args: str) -> object:
    out = StringIO()
    call_command("nlp", *args, stdout=out)
    return json.loads(out.getvalue())


def test_duplicates_command_json(tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "id,text\n"
        "a1,A5区雅礼洋湖实验中学附近垃圾箱长期未清理\n"
        'b2,"市民来电反映:A5区雅礼洋湖实验中学周边的垃圾箱一直没人清理,希望尽快解决。"\n'
        "c3,M10县民乐中学乱收补课费\n",
        encoding="utf-8",
    )
    res = nlp("duplicates", str(f), "--json")
    assert isinstance(res, list) and len(res) == 1
    assert set(res[0]) == {"a", "b", "score"}
    assert (res[0]["a"], res[0]["b"]) == ("a1", "b2")
    assert THRESHOLD <= res[0]["score"] <= 1


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        ("code,text\n1,x\n", "表头应为“id,text”", "header"),
        ("id,text\n1,x,y\n", "第 2 行有 3 列", "line 2"),
        ("id,text\n1,x\n1,y\n", "与前面的行重复", "line 3"),
        ("id,text\n,x\n", "编号为空", "line 2"),
        ("id,text\n", "没有数据行", "no data rows"),
    ],
)
def test_duplicates_command_errors_in_both_languages(tmp_path: Path, content: str, zh: str, en: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as err:
        nlp("duplicates", str(f), "--json")
    assert zh in str(err.value)
    assert en in str(err.value).lower()


def test_duplicates_command_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "gbk.csv"
    f.write_bytes("id,text\n1,路灯坏了\n".encode("gbk"))
    with pytest.raises(CommandError, match="无法读取"):
        nlp("duplicates", str(f))


@pytest.mark.db_free
def test_shipped_labelled_set_is_its_builder_output() -> None:
    from minqing.nlp.duplicates.labelled import build

    assert build() == read()
