"""The labelled pair set for duplicate detection (``minqing/nlp/data/duplicates/pairs.csv``).

Built from the shipped messages and their near-duplicate groups (``data/split.csv``), with a
fixed seed; ``python -m minqing.nlp.duplicates.labelled`` rebuilds it. Columns:
``a,b,label,kind,part``; label 1 = the same matter, 0 = not.

- ``title_detail`` (1): a title and a full text of the same group: the same matter written
  once as a short summary (like a hotline record or an SMS) and once as a long online post.
- ``rewrite`` (1): a title and a rewrite of it as a clerk would record a phone call: a
  prefix ("市民来电反映:"), common words swapped for synonyms, clauses reordered, a request
  appended. The rules are in ``REWRITES`` below.
- ``hard_negative`` (0): a text and the third most similar text of the same category from
  another group (the nearest ones are too often the same matter re-posted by someone else),
  similarity by an exact score over the 200 rows sharing the most integer IDF weight
  (``_most_similar``);
- ``random_negative`` (0): a text and a random text of the same category from another group.

``part`` is ``dev`` or ``test`` by group (even/odd), never mixed: the score's form and the
threshold were chosen on ``dev``; the figures quoted in docs/nlp.md are on ``test``.
"""

import csv
import math
import random
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from minqing.nlp.category.split import DATA, SPLIT_FILE, Row, read_messages
from minqing.nlp.duplicates.index import TEXT_CHARS, ShingleIndex
from minqing.nlp.duplicates.shingles import Keys, shingles

PAIRS_FILE = DATA / "duplicates" / "pairs.csv"
SEED = 20261206
N_TITLE_DETAIL = 700
N_REWRITE = 500
CANDIDATES_EXACT = 200  # rows the index proposes for the exact ranking of a hard negative

PREFIXES = ["市民来电反映:", "来电人称", "群众电话反映", "网友留言:", "有群众反映,", "来电称"]
SUFFIXES = ["希望尽快解决。", "请相关部门处理。", "要求有关部门调查。", "望领导重视。", ""]
REWRITES = {
    "问题": "情况",
    "反映": "投诉",
    "附近": "周边",
    "严重": "很厉害",
    "长期": "一直",
    "无人": "没人",
    "要求": "希望",
    "违规": "违法",
    "建议": "希望",
    "咨询": "询问",
    "小区": "小区里",
    "居民": "住户",
    "业主": "住户",
    "扰民": "影响休息",
    "污染": "排污",
    "拖欠": "不发",
    "整治": "治理",
    "存在": "有",
    "关于": "",
    "的": "",
}
_CLAUSE = re.compile(r"[,,。;;!!??、]")


def rewrite(text: str, rng: random.Random) -> str:
    out = text
    for old, new in REWRITES.items():
        if old in out and rng.random() < 0.7:
            out = out.replace(old, new, 1)
    parts = [p for p in _CLAUSE.split(out) if p]
    if len(parts) > 1:
        rng.shuffle(parts)
    return rng.choice(PREFIXES) + ",".join(parts) + "," + rng.choice(SUFFIXES)


def _units(index: ShingleIndex, keys: Keys) -> npt.NDArray[np.int64]:
    """Each key's IDF (``ShingleIndex.idf``) in units of 2^-20, as an integer, from Python's
    scalar logarithm: numpy's vectorised one differs in its last bits with the CPU's vector width."""
    n, stop = len(index.ids), index.stop_df()
    units = [
        0 if d > stop else round((math.log((n + 1) / (d + 1)) + 1.0) * 2**20) for d in index.df(keys).tolist()
    ]
    return np.array(units, dtype=np.int64)


def _most_similar(index: ShingleIndex, rows: list[Row], a: int, k: int) -> list[int]:
    """The ``k`` rows most similar to row ``a``, ranked by an exact score so that the set is the
    same on every machine (float scores, their logarithms and numpy's partial sorts of ties differ
    with the CPU's vector width, which reordered near-ties). Each shingle weighs its IDF in units
    of 2^-20 as an integer (``_units``); the ``CANDIDATES_EXACT`` rows sharing the most weight
    with ``a`` (ties by row number) are scored by the weight they share over the larger of the two
    texts' weights, compared as fractions; ties go by row number."""

    def weighted(n: int) -> tuple[Keys, npt.NDArray[np.int64]]:
        keys = shingles(rows[n].text[:TEXT_CHARS])
        units = _units(index, keys)
        return keys[units > 0], units[units > 0]

    keys, units = weighted(a)
    mine = dict(zip(keys.tolist(), units.tolist(), strict=True))
    total = sum(mine.values())
    # integer weights summed as floats below 2^53: exact in any order
    shared_all = index.overlap(keys, units.astype(np.float64))
    nz = np.flatnonzero(shared_all)
    proposed = [int(n) for n in nz[np.lexsort((nz, -shared_all[nz]))][:CANDIDATES_EXACT]]

    def exact(n: int) -> Fraction:
        their_keys, their_units = weighted(n)
        shared = sum(mine.get(key, 0) for key in their_keys.tolist())
        larger = max(total, int(their_units.sum()))
        return Fraction(shared, larger) if larger else Fraction(0)

    return sorted(proposed, key=lambda n: (-exact(n), n))[:k]


def _groups() -> dict[tuple[str, int], int]:
    with SPLIT_FILE.open(encoding="utf-8", newline="") as fh:
        return {(r["file"], int(r["row"])): int(r["group"]) for r in csv.DictReader(fh)}


def build() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows = read_messages()
    group_of = _groups()
    group = [group_of[(r.file, r.row)] for r in rows]
    by_group: dict[int, list[int]] = {}
    for i, g in enumerate(group):
        by_group.setdefault(g, []).append(i)
    index = ShingleIndex()
    index.add([(i, r.text) for i, r in enumerate(rows)])
    by_label: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_label.setdefault(r.label, []).append(i)

    out: list[dict[str, str]] = []

    def pair(a: str, b: str, label: int, kind: str, g: int) -> None:
        out.append(
            {"a": a, "b": b, "label": str(label), "kind": kind, "part": "dev" if g % 2 == 0 else "test"}
        )

    mixed = [
        (titles[0], details[0])
        for members in by_group.values()
        for titles in [[i for i in members if rows[i].file == "titles"]]
        for details in [[i for i in members if rows[i].file == "details"]]
        if titles and details
    ]
    rng.shuffle(mixed)
    anchors: list[int] = []
    for t, d in mixed[:N_TITLE_DETAIL]:
        pair(rows[t].text, rows[d].text, 1, "title_detail", group[t])
        anchors.append(t)
    titles = [i for i, r in enumerate(rows) if r.file == "titles"]
    for t in rng.sample(titles, N_REWRITE):
        pair(rewrite(rows[t].text, rng), rows[t].text, 1, "rewrite", group[t])
        anchors.append(t)
    for a in anchors:
        found = _most_similar(index, rows, a, 20)
        hits = [n for n in found if group[n] != group[a]]
        same = [n for n in hits if rows[n].label == rows[a].label]
        if len(same) >= 3:
            pair(rows[a].text, rows[same[2]].text, 0, "hard_negative", group[a])
        other = rng.choice(by_label[rows[a].label])
        if group[other] != group[a]:
            pair(rows[a].text, rows[other].text, 0, "random_negative", group[a])
    return out


def write(path: Path = PAIRS_FILE) -> int:
    pairs = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["a", "b", "label", "kind", "part"])
        w.writeheader()
        w.writerows(pairs)
    return len(pairs)


def read(path: Path = PAIRS_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def background() -> ShingleIndex:
    """An index of all shipped messages: the IDF used to score labelled pairs."""
    index = ShingleIndex()
    index.add([(i, r.text) for i, r in enumerate(read_messages())])
    return index


__all__ = ["Row", "background", "build", "read", "rewrite", "write"]

if __name__ == "__main__":
    print(write())
