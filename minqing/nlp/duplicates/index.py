"""An inverted index of character-bigram shingles with IDF-weighted overlap scoring.

Documents are added in batches; the postings are kept as one compressed-sparse-row block per
batch (sorted keys, offsets, document numbers), so adding never rewrites what is there and a
lookup is a few ``searchsorted`` calls and one ``bincount`` over at most ``MAX_POSTINGS``
postings. ``compact()`` merges the blocks.

Score of a query q against a stored document d (both as sets of shingles, weights w = IDF)::

    overlap = sum(w[s] for s in q & d)
    score   = overlap / (min(W(q), W(d)) ** ALPHA * max(W(q), W(d)) ** (1 - ALPHA))

with W(x) the summed weight of x's shingles. ALPHA = 1 is the weighted overlap coefficient
(a short phoned-in summary wholly contained in a long online post scores 1), ALPHA = 0.5 is a
cosine of binary IDF vectors; ALPHA was chosen on the labelled set (docs/nlp.md). Shingles found
in more than ``STOP_FRACTION`` of the documents (and at least ``STOP_MIN`` of them) are stop
shingles: they carry no weight and are not looked up, which bounds the work per lookup.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from minqing.nlp.duplicates.shingles import Keys, shingles

ALPHA = 1.0
THRESHOLD = 0.54  # same matter at or above (chosen on the dev half of the labelled set)
STOP_FRACTION = 0.02
STOP_MIN = 50
CANDIDATES = 200
MAX_POSTINGS = 250_000  # per lookup: the rarest shingles first, the commonest dropped past it
TEXT_CHARS = 1000  # only the first characters of a text are indexed and looked up (the gist)
MIN_EVIDENCE = 25.0  # summed IDF below which a text is too short to be sure (about 4-6 bigrams)


@dataclass
class _Block:
    keys: Keys  # sorted distinct shingle keys
    offsets: npt.NDArray[np.int64]  # postings of keys[i] are docs[offsets[i]:offsets[i + 1]]
    docs: npt.NDArray[np.int32]


def _block(sets: Sequence[Keys], first: int) -> _Block:
    lengths = np.fromiter((s.size for s in sets), dtype=np.int64, count=len(sets))
    allkeys = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint32)
    alldocs = np.repeat(np.arange(first, first + len(sets), dtype=np.int32), lengths)
    order = np.argsort(allkeys, kind="stable")
    allkeys, alldocs = allkeys[order], alldocs[order]
    keys, starts = np.unique(allkeys, return_index=True)
    offsets = np.append(starts, allkeys.size).astype(np.int64)
    return _Block(keys=keys, offsets=offsets, docs=alldocs)


@dataclass
class ShingleIndex:
    """Documents numbered 0, 1, 2 ... in the order added; ``ids[n]`` is the caller's id of n."""

    ids: list[object] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    _df_keys: Keys = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    _df: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _weights: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)

    # --- building -----------------------------------------------------------------------------

    def add(self, items: Sequence[tuple[object, str]]) -> None:
        """Add (id, text) pairs as one block."""
        if not items:
            return
        sets = [shingles(text[:TEXT_CHARS]) for _, text in items]
        self.add_shingles([i for i, _ in items], sets)

    def add_shingles(self, ids: Sequence[object], sets: Sequence[Keys]) -> None:
        first = len(self.ids)
        self.ids.extend(ids)
        self.blocks.append(_block(sets, first))
        self._merge_df(sets)
        # a document's weight uses the IDF at the time it was added; refresh() recomputes all
        self._weights = np.append(self._weights, [self._weight(s) for s in sets])

    def _merge_df(self, sets: Sequence[Keys]) -> None:
        new_keys, counts = np.unique(np.concatenate(sets), return_counts=True)
        keys = np.union1d(self._df_keys, new_keys)
        df = np.zeros(keys.size, dtype=np.int64)
        df[np.searchsorted(keys, self._df_keys)] += self._df
        df[np.searchsorted(keys, new_keys)] += counts
        self._df_keys, self._df = keys, df

    def refresh(self, texts: Sequence[str]) -> None:
        """Recompute every document's weight with today's IDF (``texts`` in document order)."""
        self._weights = np.array([self._weight(shingles(t[:TEXT_CHARS])) for t in texts])

    def compact(self) -> None:
        """Merge all blocks into one (same results, fewer arrays to search)."""
        if len(self.blocks) <= 1:
            return
        keys = np.concatenate([np.repeat(b.keys, np.diff(b.offsets)) for b in self.blocks])
        docs = np.concatenate([b.docs for b in self.blocks])
        order = np.lexsort((docs, keys))
        keys, docs = keys[order], docs[order]
        uniq, starts = np.unique(keys, return_index=True)
        self.blocks = [_Block(keys=uniq, offsets=np.append(starts, keys.size).astype(np.int64), docs=docs)]

    # --- weights ------------------------------------------------------------------------------

    def stop_df(self) -> float:
        return max(STOP_MIN, STOP_FRACTION * len(self.ids))

    def df(self, keys: Keys) -> npt.NDArray[np.int64]:
        """How many documents hold each key (0 for an unseen key)."""
        if self._df_keys.size == 0:
            return np.zeros(keys.size, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self._df_keys, keys), self._df_keys.size - 1)
        return np.where(self._df_keys[pos] == keys, self._df[pos], 0).astype(np.int64)

    def idf(self, keys: Keys) -> npt.NDArray[np.float64]:
        """IDF of each key (0 for stop shingles; unseen keys get the IDF of df = 0)."""
        df = self.df(keys)
        w = np.log((len(self.ids) + 1) / (df + 1)) + 1.0
        return np.where(df > self.stop_df(), 0.0, w)

    def _weight(self, keys: Keys) -> float:
        return float(self.idf(keys).sum())

    # --- lookup -------------------------------------------------------------------------------

    def search(self, text: str, k: int = 5, candidates: int = CANDIDATES) -> list[tuple[int, float]]:
        """The ``k`` best (document number, score) for ``text``, best first (score > 0)."""
        return self.search_shingles(shingles(text[:TEXT_CHARS]), k, candidates)

    def search_shingles(self, q: Keys, k: int = 5, candidates: int = CANDIDATES) -> list[tuple[int, float]]:
        n = len(self.ids)
        if n == 0 or q.size == 0:
            return []
        w = self.idf(q)
        live = w > 0
        q, w = q[live], w[live]
        wq = float(w.sum())
        if wq == 0:
            return []
        acc = self.overlap(*self._budget(q, w))
        nz = np.flatnonzero(acc)
        if nz.size == 0:
            return []
        if nz.size > candidates:
            nz = nz[np.argpartition(acc[nz], -candidates)[-candidates:]]
        scores = score(acc[nz], wq, self._weights[nz])
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(nz[i]), float(scores[i])) for i in order if scores[i] > 0]

    def overlap(self, q: Keys, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """For every document, the summed weight ``w`` of the keys ``q`` it holds (its postings)."""
        docs: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for b in self.blocks:
            pos = np.minimum(np.searchsorted(b.keys, q), b.keys.size - 1)
            hit = b.keys[pos] == q
            if not hit.any():
                continue
            starts, ends = b.offsets[pos[hit]], b.offsets[pos[hit] + 1]
            lengths = ends - starts
            idx = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            docs.append(b.docs[idx])
            weights.append(np.repeat(w[hit], lengths))
        if not docs:
            return np.zeros(len(self.ids), dtype=np.float64)
        acc: npt.NDArray[np.float64] = np.bincount(
            np.concatenate(docs), weights=np.concatenate(weights), minlength=len(self.ids)
        ).astype(np.float64)
        return acc

    def _budget(self, q: Keys, w: npt.NDArray[np.float64]) -> tuple[Keys, npt.NDArray[np.float64]]:
        """The query's shingles to look up: all, unless their postings exceed ``MAX_POSTINGS``;
        then the rarest (highest weight) first, up to the budget. The dropped ones still count in
        W(q), so a document's score can only be under-, never overestimated."""
        df = self._df[np.minimum(np.searchsorted(self._df_keys, q), self._df_keys.size - 1)]
        if int(df.sum()) <= MAX_POSTINGS:
            return q, w
        order = np.argsort(df, kind="stable")
        keep = order[np.cumsum(df[order]) <= MAX_POSTINGS]
        return q[keep], w[keep]

    def pair_score(self, a: str, b: str) -> float:
        """The score of two texts against each other with this index's IDF."""
        sa, sb = shingles(a[:TEXT_CHARS]), shingles(b[:TEXT_CHARS])
        common = np.intersect1d(sa, sb, assume_unique=True)
        return float(
            score(np.array([self.idf(common).sum()]), self._weight(sa), np.array([self._weight(sb)]))[0]
        )


def score(
    overlap: npt.NDArray[np.float64], wq: float, wd: npt.NDArray[np.float64], alpha: float = ALPHA
) -> npt.NDArray[np.float64]:
    """The score of an overlap; a text shorter than ``MIN_EVIDENCE`` scores in proportion (a bare
    "业主" is contained in a thousand messages but says nothing about which matter)."""
    lo = np.minimum(wq, wd)
    hi = np.maximum(wq, wd)
    denom = np.power(lo, alpha) * np.power(hi, 1.0 - alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(denom > 0, overlap / denom, 0.0)
    return np.minimum(s, 1.0) * np.minimum(1.0, lo / MIN_EVIDENCE)
