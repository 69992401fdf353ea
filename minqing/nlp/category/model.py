"""The category model: hashed character n-gram TF-IDF, a linear SVM, softmax with a fitted temperature.

A model is a small ``.npz`` file of plain arrays (no pickle, so it loads the same under any
scikit-learn version, and loading it runs no code): the hashing parameters, the used buckets with
their IDF weights and one weight per class, the intercepts and the softmax temperature.
scikit-learn is needed to train, not to predict.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from minqing.nlp.category.features import Hasher, tfidf

FORMAT = "minqing.nlp.category/1"


@dataclass
class CategoryModel:
    hasher: Hasher
    classes: list[str]
    idf: np.ndarray  # (buckets,) float32, 0 = bucket unused
    weights: np.ndarray  # (buckets, classes) float32
    intercept: np.ndarray  # (classes,) float32
    temperature: float  # softmax(scores / temperature) gives the confidences
    info: dict[str, object]  # how it was trained (data, counts, date): shown by the commands

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(texts x classes) decision scores."""
        x = tfidf(self.hasher.counts(texts), self.idf)
        return np.asarray(x @ self.weights) + self.intercept

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
        used = np.flatnonzero(self.idf).astype(np.int32)
        meta = {
            "format": FORMAT,
            "bits": self.hasher.bits,
            "min_n": self.hasher.min_n,
            "max_n": self.hasher.max_n,
            "classes": self.classes,
            "temperature": self.temperature,
            "info": self.info,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
                buckets=used,
                idf=self.idf[used],
                weights=self.weights[used].astype(np.float16),
                intercept=self.intercept.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> "CategoryModel":
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} model: {path}")
            hasher = Hasher(bits=int(meta["bits"]), min_n=int(meta["min_n"]), max_n=int(meta["max_n"]))
            used = z["buckets"]
            idf = np.zeros(hasher.size, dtype=np.float32)
            idf[used] = z["idf"]
            weights = np.zeros((hasher.size, len(meta["classes"])), dtype=np.float32)
            weights[used] = z["weights"].astype(np.float32)
            intercept = z["intercept"].astype(np.float32)
        return cls(
            hasher=hasher,
            classes=list(meta["classes"]),
            idf=idf,
            weights=weights,
            intercept=intercept,
            temperature=float(meta["temperature"]),
            info=dict(meta.get("info") or {}),
        )
