"""``minqing nlp eval``: the JSON shape, the held-out accuracy floor, and clear errors."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minqing.nlp.category.split import HELDOUT
from minqing.nlp.category.train import fit

# The shipped model's held-out macro-F1 (benchmarks/results/nlp_category.md) is about 0.89 on
# titles and 0.92 on full texts; a regression of more than two points fails.
FLOORS = {"titles.csv": 0.87, "details.csv": 0.89}


def nlp(*args: str) -> dict:
    out = StringIO()
    call_command("nlp", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_figures_of_the_default_model(name: str) -> None:
    res = nlp("eval", "--task", "category", str(HELDOUT / name))
    assert set(res) == {"n", "accuracy", "macro_f1", "per_class", "messages_per_second"}
    assert res["n"] == sum(1 for _ in (HELDOUT / name).open(encoding="utf-8")) - 1
    assert len(res["per_class"]) == 7
    assert all(0.0 <= f <= 1.0 for f in res["per_class"].values())
    assert res["macro_f1"] == pytest.approx(sum(res["per_class"].values()) / 7, abs=1e-3)
    assert res["macro_f1"] >= FLOORS[name]
    assert res["accuracy"] >= FLOORS[name]
    assert res["messages_per_second"] > 0


def test_eval_with_a_given_model_and_file(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text("title,label\n小区路灯坏了没人修,城乡建设\n学校乱收补课费,教育文体\n", encoding="utf-8")
    texts = ["路灯坏了", "路灯没人修", "小区道路破损", "学校乱收费", "补课费", "教师工资"] * 4
    fit(texts, (["城乡建设"] * 3 + ["教育文体"] * 3) * 4).save(tmp_path / "m.npz")
    res = nlp("eval", "--task", "category", str(data), "--model", str(tmp_path / "m.npz"))
    assert res["n"] == 2
    assert res["accuracy"] == 1.0
    assert set(res["per_class"]) == {"城乡建设", "教育文体"}


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        ("text,label\n路灯,城乡建设\n", "表头应为", "header"),
        ("", "表头应为", "header"),
        ("title,label\n", "没有数据行", "no data"),
        ("title,label\n路灯,城乡建设,多余\n", "第 2 行有 3 列", "line 2 has 3 columns"),
        ("detail,label\n路灯坏了,\n", "第 2 行的标签为空", "line 2"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_english(tmp_path: Path, content: str, zh: str, en: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        nlp("eval", "--task", "category", str(bad))
    assert zh in str(exc.value)
    assert en in str(exc.value).lower()


def test_a_file_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    bad = tmp_path / "gbk.csv"
    bad.write_bytes("title,label\n路灯,城乡建设\n".encode("gbk"))
    for path in (bad, tmp_path / "missing.csv"):
        with pytest.raises(CommandError) as exc:
            nlp("eval", "--task", "category", str(path))
        assert "无法读取文件" in str(exc.value)
        assert "unable to read" in str(exc.value).lower()


def test_a_bad_model_file(tmp_path: Path) -> None:
    model = tmp_path / "m.npz"
    model.write_bytes(b"not a model")
    with pytest.raises(CommandError) as exc:
        nlp("eval", "--task", "category", str(HELDOUT / "titles.csv"), "--model", str(model))
    assert "无法加载模型" in str(exc.value)
