"""The planted-topics test set (``minqing/nlp/data/topics/``), built from the shipped messages
with a fixed seed; ``python -m minqing.nlp.topics.planted`` rebuilds it.

- background: ``BACKGROUND`` titles of the shipped messages, at most one per near-duplicate group
  (``data/split.csv``), so the background holds no real repeated matter; the details column is a
  full text of the same group when there is one; users, times (2019) and likes are random (a few
  background messages get hundreds of likes, which must not make a single message a topic);
- planted: ``len(SIZES)`` matters, each a shipped title from a group not in the background, written
  ``size`` times: different users (a few repeat callers), a lead word ("关于", "投诉" ...), the
  rewrite rules of the duplicates labelled set (synonyms, clauses reordered), a stock sentence
  in the details, times spread over ``SPREAD_DAYS`` days, likes 0-30.

``planted.csv`` is in the Teddy Cup shape (``minqing nlp hot-topics`` input) in random order;
``planted_truth.csv`` (``留言编号,topic``) names the planted rows and their matter.
"""

import csv
import datetime as dt
import random
from pathlib import Path

from minqing.nlp.category.split import DATA, SPLIT_FILE, read_messages
from minqing.nlp.duplicates.labelled import REWRITES, SUFFIXES
from minqing.nlp.topics.columns import HEADER

OUT = DATA / "topics"
SEED = 20261206
BACKGROUND = 2000
SIZES = (30, 22, 15, 10, 8)
SPREAD_DAYS = 40
LEADS = ("", "关于", "投诉", "反映", "请问", "举报", "强烈要求解决")
STOCK = (
    "已经反映多次,一直没有解决。",
    "严重影响了我们的正常生活。",
    "希望领导重视。",
    "请有关部门尽快处理!",
    "",
)


def _vary(title: str, rng: random.Random) -> str:
    out = title
    for old, new in REWRITES.items():
        if old in out and rng.random() < 0.5:
            out = out.replace(old, new, 1)
    return rng.choice(LEADS) + out + rng.choice(("", "?", "!", "。"))


def _time(rng: random.Random, start: dt.datetime, days: float) -> dt.datetime:
    return (start + dt.timedelta(seconds=rng.uniform(0, days * 86400))).replace(microsecond=0)


def _fmt(t: dt.datetime) -> str:
    return f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}"


def build() -> tuple[list[list[str]], list[tuple[str, int]]]:
    rng = random.Random(SEED)
    rows = read_messages()
    with SPLIT_FILE.open(encoding="utf-8", newline="") as fh:
        group = {(r["file"], int(r["row"])): int(r["group"]) for r in csv.DictReader(fh)}
    detail_of: dict[int, str] = {}
    for r in rows:
        if r.file == "details":
            detail_of.setdefault(group[(r.file, r.row)], r.text)
    first_title: dict[int, str] = {}
    for r in rows:
        if r.file == "titles":
            first_title.setdefault(group[(r.file, r.row)], r.text)
    groups = sorted(first_title)
    rng.shuffle(groups)
    seeds, background = groups[: len(SIZES)], groups[len(SIZES) : len(SIZES) + BACKGROUND]
    year = dt.datetime(2019, 1, 1)
    out: list[list[str]] = []
    truth: list[tuple[str, int]] = []
    for g in background:
        likes = rng.choice((0, 0, 0, 0, 1, 2, 3, 5)) if rng.random() > 0.01 else rng.randint(200, 900)
        when = _time(rng, year, 364)
        out.append(
            [
                "",
                f"A{rng.randrange(10**8, 10**9)}",
                first_title[g],
                _fmt(when),
                detail_of.get(g, ""),
                "0",
                str(likes),
            ]
        )
    for topic, (g, size) in enumerate(zip(seeds, SIZES, strict=True), start=1):
        start = _time(rng, year, 364 - SPREAD_DAYS)
        users = [f"A{rng.randrange(10**8, 10**9)}" for _ in range(size)]
        for i in range(size):
            user = users[i] if rng.random() > 0.15 else users[0]  # some repeat callers
            title = _vary(first_title[g], rng)
            detail = _vary(first_title[g], rng) + "," + rng.choice(STOCK) + rng.choice(SUFFIXES)
            likes, against = rng.randint(0, 30), rng.choice((0, 0, 1))
            out.append(
                ["", user, title, _fmt(_time(rng, start, SPREAD_DAYS)), detail, str(against), str(likes)]
            )
            truth.append((str(len(out) - 1), topic))
    order = list(range(len(out)))
    rng.shuffle(order)
    new_id = {old: str(100000 + pos) for pos, old in enumerate(order)}
    final = []
    for old in order:
        row = out[old]
        row[0] = new_id[old]
        final.append(row)
    return final, [(new_id[int(old)], topic) for old, topic in truth]


def _truth_order(row: tuple[str, int]) -> tuple[int, str]:
    return row[1], row[0]


def write(directory: Path = OUT) -> int:
    rows, truth = build()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "planted.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    with (directory / "planted_truth.csv").open("w", encoding="utf-8", newline="") as fh:
        tw = csv.writer(fh)
        tw.writerow(("留言编号", "topic"))
        ordered = sorted(truth, key=_truth_order)
        tw.writerows(ordered)
    return len(rows)


if __name__ == "__main__":
    print(write())
