"""The held-out split: reproducible from the shipped rule, near-duplicates never straddle it."""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from minqing.nlp.category.split import (
    FILES,
    HELDOUT,
    MESSAGES,
    SPLIT_FILE,
    Row,
    groups,
    read_messages,
    write_split,
)


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.db_free
def test_the_shipped_split_is_what_the_rule_gives(tmp_path: Path) -> None:
    (tmp_path / "messages").symlink_to(MESSAGES)
    counts = write_split(tmp_path)
    assert _read(tmp_path / "split.csv") == _read(SPLIT_FILE)
    for name, _ in FILES.values():
        assert _read(tmp_path / "heldout" / name) == _read(HELDOUT / name)
    assert counts["titles"] + counts["details"] == sum(1 for r in _read(SPLIT_FILE)[1:] if r[3] == "heldout")


def test_groups_never_straddle_and_about_a_fifth_is_held_out() -> None:
    with SPLIT_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    parts: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        parts[r["group"]].add(r["part"])
    assert all(len(p) == 1 for p in parts.values())
    held = sum(r["part"] == "heldout" for r in rows)
    assert 0.17 < held / len(rows) < 0.23
    assert len(rows) == len(read_messages())


def test_the_held_out_rows_are_those_of_the_split() -> None:
    messages = read_messages()
    with SPLIT_FILE.open(encoding="utf-8", newline="") as fh:
        held = {(r["file"], int(r["row"])) for r in csv.DictReader(fh) if r["part"] == "heldout"}
    for kind, (name, column) in FILES.items():
        expected = [[column, "label"]] + [
            [m.text, m.label] for m in messages if m.file == kind and (kind, m.row) in held
        ]
        assert _read(HELDOUT / name) == expected


def test_near_duplicates_are_grouped() -> None:
    letter = "我们小区门口的道路塌陷已经三个月了,雨天积水严重,老人孩子出行很不方便,请有关部门尽快维修。"
    rows = [
        Row("titles", 0, "小区门口的道路塌陷已经三个月了", "城乡建设"),  # the title of the letter
        Row("details", 0, letter, "城乡建设"),
        Row("details", 1, "尊敬的领导:" + letter + "谢谢!", "城乡建设"),  # the letter again
        Row("titles", 1, "小区门口道路塌陷已经三个月了!", "城乡建设"),  # a re-posted title
        Row("titles", 2, "学校食堂饭菜价格太贵", "教育文体"),
        Row("details", 2, "尊敬的领导:", "城乡建设"),  # too short to join by containment
        Row("details", 3, "尊敬的领导:", "教育文体"),  # identical: joins
    ]
    g = groups(rows)
    assert g[0] == g[1] == g[2] == g[3]
    assert len({g[0], g[4], g[5]}) == 3
    assert g[5] == g[6]
