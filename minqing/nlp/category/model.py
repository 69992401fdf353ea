"""The category model: a sum of linear scorers over hashed character n-gram TF-IDF, softmax with a
fitted temperature.

A model has one or more *parts*; a part is one n-gram hashing (``Hasher``) with its IDF weights
and one weight per bucket and class. A text's scores are the sum over the parts of
``tfidf(counts) @ weights + intercept``; the confidences are ``softmax(scores / temperature)``.
The shipped model has two parts (1-3-grams and 1-2-grams), each the sum of a linear SVM and an
NBSVM already folded into one weight matrix (``train.py``).

A model is a small ``.npz`` file of plain arrays (no pickle, so it loads the same under any
scikit-learn version, and loading it runs no code). scikit-learn is needed to train, not to
predict. Files of the first format (one part, written before the parts) still load.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from minqing.nlp.category.features import Grams, Hasher

FORMAT = "minqing.nlp.category/2"
FORMAT_1 = "minqing.nlp.category/1"  # one part, arrays without the ``p{i}_`` prefix


@dataclass
class Part:
    hasher: Hasher
    idf: np.ndarray  # (buckets,) float32, 0 = bucket unused
    weights: np.ndarray  # (buckets, classes) float32
    intercept: np.ndarray  # (classes,) float32

    def scores(self, texts: Sequence[str] | Grams) -> np.ndarray:
        grams = texts if isinstance(texts, Grams) else Grams(texts, self.hasher.bits)
        return self.hasher.tfidf_scores(grams, self.idf, self.weights) + self.intercept

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        used = np.flatnonzero(self.idf).astype(np.int32)
        return {
            f"{prefix}buckets": used,
            f"{prefix}idf": self.idf[used],
            f"{prefix}weights": self.weights[used].astype(np.float16),
            f"{prefix}intercept": self.intercept.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, z: Any, prefix: str, hasher: Hasher, n_classes: int) -> "Part":
        used = z[f"{prefix}buckets"]
        idf = np.zeros(hasher.size, dtype=np.float32)
        idf[used] = z[f"{prefix}idf"]
        weights = np.zeros((hasher.size, n_classes), dtype=np.float32)
        weights[used] = z[f"{prefix}weights"].astype(np.float32)
        return cls(
            hasher=hasher, idf=idf, weights=weights, intercept=z[f"{prefix}intercept"].astype(np.float32)
        )


@dataclass
class CategoryModel:
    classes: list[str]
    parts: list[Part]
    temperature: float  # softmax(scores / temperature) gives the confidences
    info: dict[str, object]  # how it was trained (data, counts, date): shown by the commands

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(texts x classes) decision scores."""
        grams: dict[int, Grams] = {}  # the parts with the same hashing share the n-grams
        total = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        for p in self.parts:
            bits = p.hasher.bits
            total += p.scores(grams.setdefault(bits, Grams(texts, bits)))
        return total

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        s = self.scores(texts) / self.temperature
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], batch: int = 2000) -> list[str]:
        out: list[str] = []
        for i in range(0, len(texts), batch):
            best = self.scores(texts[i : i + batch]).argmax(axis=1)
            out.extend(self.classes[j] for j in best)
        return out

    def save(self, path: Path) -> None:
        meta = {
            "format": FORMAT,
            "parts": [
                {"bits": p.hasher.bits, "min_n": p.hasher.min_n, "max_n": p.hasher.max_n} for p in self.parts
            ],
            "classes": self.classes,
            "temperature": self.temperature,
            "info": self.info,
        }
        arrays: dict[str, np.ndarray] = {}
        for i, p in enumerate(self.parts):
            arrays.update(p.arrays(f"p{i}_"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> "CategoryModel":
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            classes = list(meta["classes"])
            if meta.get("format") == FORMAT:
                parts = [
                    Part.from_arrays(
                        z, f"p{i}_", Hasher(int(h["bits"]), int(h["min_n"]), int(h["max_n"])), len(classes)
                    )
                    for i, h in enumerate(meta["parts"])
                ]
            elif meta.get("format") == FORMAT_1:
                hasher = Hasher(bits=int(meta["bits"]), min_n=int(meta["min_n"]), max_n=int(meta["max_n"]))
                parts = [Part.from_arrays(z, "", hasher, len(classes))]
            else:
                raise ValueError(f"not a {FORMAT} model: {path}")
        return cls(
            classes=classes,
            parts=parts,
            temperature=float(meta["temperature"]),
            info=dict(meta.get("info") or {}),
        )
