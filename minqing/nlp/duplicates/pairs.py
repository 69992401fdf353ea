"""Pairs of texts judged the same matter, within one collection (``minqing nlp duplicates``)."""

from collections.abc import Sequence

from minqing.nlp.duplicates.index import THRESHOLD, ShingleIndex

NEIGHBOURS = 20


def duplicate_pairs(
    items: Sequence[tuple[str, str]], threshold: float = THRESHOLD, neighbours: int = NEIGHBOURS
) -> list[dict[str, object]]:
    """``[{"a": id, "b": id, "score": s}]`` for every pair scoring at least ``threshold`` (each
    text is compared with its ``neighbours`` best matches); ``a`` comes before ``b`` in the input;
    sorted by score (best first), then input order."""
    index = ShingleIndex()
    index.add(list(enumerate(text for _, text in items)))
    best: dict[tuple[int, int], float] = {}
    for i, (_, text) in enumerate(items):
        for n, s in index.search(text, k=neighbours + 1):
            if n != i and s >= threshold:
                key = (min(i, n), max(i, n))
                best[key] = max(best.get(key, 0.0), s)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"a": items[a][0], "b": items[b][0], "score": round(s, 4)} for (a, b), s in ranked]
