"""The held-out split of the shipped messages: grouped near-duplicates, stratified, fixed seed.

The shipped data (``minqing/nlp/data/messages``) has a title file and a full-text file. Many rows
are the same matter twice: a title re-posted with a word changed, a letter sent twice, and above
all a title in one file whose full text is in the other. Those must fall on the same side of the
split, or the held-out figures measure memory instead of generalisation. So:

1. every row is a node; two rows are joined when, on their character 4-gram sets (text squashed:
   no spaces or punctuation, NFKC, lower case),
   - title and title: Jaccard >= ``TITLE_JACCARD``;
   - title and full text: >= ``TITLE_IN_DETAIL`` of the title's 4-grams occur in the full text;
   - full text and full text: >= ``DETAIL_CONTAINMENT`` of the shorter one's 4-grams occur in the
     other (a re-post, a quoted letter);
   containment counts only from a side with at least ``MIN_SHINGLES`` 4-grams, so a bare
   salutation ("尊敬的领导:") does not chain hundreds of letters into one group;
2. the connected components are the groups;
3. ``StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)`` over all rows (label =
   the row's label, group = its component), fold ``HELD_OUT_FOLD`` is held out (about 20 %).

The result is shipped as ``data/split.csv`` (``file,row,group,part``; ``row`` counts data rows from
0) and the held-out rows as eval-ready CSVs under ``data/heldout/``. ``minqing nlp split`` rebuilds
them; a test checks the shipped files equal a fresh rebuild.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import StratifiedGroupKFold

from minqing.nlp.category.text import squash

DATA = Path(__file__).resolve().parent.parent / "data"
MESSAGES = DATA / "messages"
SPLIT_FILE = DATA / "split.csv"
HELDOUT = DATA / "heldout"
FILES = {"titles": ("titles.csv", "title"), "details": ("details.csv", "detail")}

SEED = 20261206
N_SPLITS = 5
HELD_OUT_FOLD = 0
SHINGLE = 4
TITLE_JACCARD = 0.5
TITLE_IN_DETAIL = 0.5
DETAIL_CONTAINMENT = 0.5
MIN_SHINGLES = 6  # a text with fewer 4-grams (under 9 characters) joins by containment only if identical


@dataclass(frozen=True)
class Row:
    file: str  # "titles" or "details"
    row: int  # index among the file's data rows, from 0
    text: str
    label: str


def read_messages(directory: Path = MESSAGES) -> list[Row]:
    """The shipped rows, titles first, in file order."""
    rows: list[Row] = []
    for kind, (name, column) in FILES.items():
        with (directory / name).open(encoding="utf-8", newline="") as fh:
            for i, rec in enumerate(csv.DictReader(fh)):
                rows.append(Row(kind, i, rec[column], rec["label"]))
    return rows


def groups(rows: list[Row]) -> np.ndarray:
    """The near-duplicate group (connected component) of every row."""
    keys = [squash(r.text) for r in rows]
    vec = CountVectorizer(analyzer="char", ngram_range=(SHINGLE, SHINGLE), binary=True, dtype=np.float32)
    m = vec.fit_transform(keys).tocsr()
    sizes = np.maximum(np.asarray(m.sum(axis=1)).ravel(), 1.0)
    is_title = np.array([r.file == "titles" for r in rows])
    shared = (m @ m.T).tocoo()
    a, b, inter = shared.row, shared.col, shared.data
    keep = a < b
    a, b, inter = a[keep], b[keep], inter[keep]
    ta, tb = is_title[a], is_title[b]
    jaccard = inter / (sizes[a] + sizes[b] - inter)
    shorter = np.minimum(sizes[a], sizes[b])
    # containment from a side too short to say anything ("尊敬的领导:") does not join
    of_shorter = np.where(shorter < MIN_SHINGLES, 0.0, inter / shorter)
    # in a title/detail pair the title is the shorter side almost always; use the title's size
    title_size = np.where(ta, sizes[a], sizes[b])
    title_size = np.where(title_size < MIN_SHINGLES, np.inf, title_size)
    join = (
        (ta & tb & (jaccard >= TITLE_JACCARD))
        | ((ta ^ tb) & (inter / title_size >= TITLE_IN_DETAIL))
        | (~ta & ~tb & (of_shorter >= DETAIL_CONTAINMENT))
    )
    # identical squashed texts always join (also texts too short to have a 4-gram)
    first: dict[str, int] = {}
    extra_a, extra_b = [], []
    for i, k in enumerate(keys):
        j = first.setdefault(k, i)
        if j != i:
            extra_a.append(j)
            extra_b.append(i)
    ea = np.concatenate([a[join], np.array(extra_a, dtype=a.dtype)])
    eb = np.concatenate([b[join], np.array(extra_b, dtype=b.dtype)])
    graph = csr_matrix((np.ones(len(ea), dtype=np.int8), (ea, eb)), shape=(len(rows), len(rows)))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels)


def make_split(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    """(group of each row, True where the row is held out)."""
    g = groups(rows)
    y = np.array([r.label for r in rows])
    folds = StratifiedGroupKFold(n_splits=N_SPLITS, shuffle=True, random_state=SEED)
    held = np.zeros(len(rows), dtype=bool)
    for k, (_, test) in enumerate(folds.split(np.zeros(len(rows)), y, g)):
        if k == HELD_OUT_FOLD:
            held[test] = True
    return g, held


def write_split(directory: Path = DATA) -> dict[str, int]:
    """Rebuild ``split.csv`` and ``heldout/*.csv`` from the shipped messages; returns counts."""
    rows = read_messages(directory / "messages")
    g, held = make_split(rows)
    with (directory / "split.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "row", "group", "part"])
        for r, grp, h in zip(rows, g, held, strict=True):
            w.writerow([r.file, r.row, int(grp), "heldout" if h else "train"])
    (directory / "heldout").mkdir(exist_ok=True)
    counts: dict[str, int] = {}
    for kind, (name, column) in FILES.items():
        picked = [r for r, h in zip(rows, held, strict=True) if h and r.file == kind]
        with (directory / "heldout" / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([column, "label"])
            w.writerows([r.text, r.label] for r in picked)
        counts[kind] = len(picked)
    return counts


def read_split(path: Path = SPLIT_FILE) -> dict[tuple[str, int], str]:
    """(file, row) -> "train" or "heldout", from the shipped split definition."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["file"], int(r["row"])): r["part"] for r in csv.DictReader(fh)}


def training_rows(directory: Path = DATA) -> list[Row]:
    """The shipped rows on the training side of the shipped split."""
    parts = read_split(directory / "split.csv")
    return [r for r in read_messages(directory / "messages") if parts[(r.file, r.row)] == "train"]
