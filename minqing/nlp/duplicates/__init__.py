"""Duplicates across channels: the same matter phoned in and posted online, found by an
IDF-weighted overlap of character bigrams over an inverted index (docs/nlp.md).

``minqing.nlp.duplicates.similar_problems`` is the ledger service (imported on first use, so the
index and the commands work without Django's apps loaded).
"""

from typing import Any

__all__ = ["Similar", "SimilarProblem", "find_similar", "similar_problems", "warm_index"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from minqing.nlp.duplicates import service

        return getattr(service, name)
    raise AttributeError(name)
