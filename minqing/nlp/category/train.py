"""Training a category model from (text, label) pairs: the shipped messages, the ledger, or both.

1. Features: ``Hasher`` n-grams, IDF fitted on the training texts, buckets in fewer than
   ``MIN_DF`` texts dropped.
2. Temperature: a first SVM on a stratified 80 % (grouped when groups are given) scores the
   other 20 %; the temperature that minimises the log-loss of ``softmax(scores / T)`` there is
   kept, so the confidences are calibrated probabilities rather than raw margins.
3. The final SVM is fitted on all the texts.
"""

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.model_selection import GroupShuffleSplit, StratifiedShuffleSplit
from sklearn.svm import LinearSVC

from minqing.nlp.category.features import Hasher, fit_idf, tfidf
from minqing.nlp.category.model import CategoryModel

HASHER = Hasher(bits=20, min_n=1, max_n=3)
MIN_DF = 2
C = 1.0
SEED = 13


def _svm(x: object, y: Sequence[str] | np.ndarray, weights: np.ndarray | None) -> LinearSVC:
    clf = LinearSVC(C=C, class_weight="balanced", max_iter=5000, random_state=SEED)
    clf.fit(x, y, sample_weight=weights)
    return clf


def _temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    def nll(log_t: float) -> float:
        s = scores / np.exp(log_t)
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(truth)), truth].mean())

    res = minimize_scalar(nll, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(res.x))


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    groups: Sequence[int] | None = None,
    weights: Sequence[float] | None = None,
    info: dict[str, object] | None = None,
) -> CategoryModel:
    """A model trained on ``texts`` with ``labels`` (at least two classes)."""
    if len(set(labels)) < 2:
        raise ValueError("need at least two categories")
    counts = HASHER.counts(texts)
    y = np.asarray(labels)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    classes = sorted(set(labels))
    temperature = 1.0
    if len(texts) >= 20 and min(Counter(labels).values()) >= 2:
        if groups is not None:
            split = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=SEED)
            fit_rows, cal_rows = next(split.split(texts, y, np.asarray(groups)))
        else:
            strat = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=SEED)
            fit_rows, cal_rows = next(strat.split(np.zeros(len(y)), y))
        idf = fit_idf(counts[fit_rows], MIN_DF)
        if len(set(y[fit_rows])) == len(classes):
            clf = _svm(tfidf(counts[fit_rows], idf), y[fit_rows], None if w is None else w[fit_rows])
            scores = clf.decision_function(tfidf(counts[cal_rows], idf))
            if scores.ndim == 1:  # two classes: sklearn gives one margin
                scores = np.column_stack([-scores, scores]) / 2
            truth = np.searchsorted(classes, y[cal_rows])
            temperature = _temperature(scores, truth)
    idf = fit_idf(counts, MIN_DF)
    clf = _svm(tfidf(counts, idf), y, w)
    coef = clf.coef_.astype(np.float32)
    intercept = clf.intercept_.astype(np.float32)
    if coef.shape[0] == 1:
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.array([-intercept[0], intercept[0]], dtype=np.float32) / 2
    assert list(clf.classes_) == classes
    meta = dict(info or {})
    meta["n"] = len(texts)
    meta["per_class"] = dict(sorted(Counter(labels).items()))
    return CategoryModel(
        hasher=HASHER,
        classes=classes,
        idf=idf,
        weights=np.ascontiguousarray(coef.T),
        intercept=intercept,
        temperature=temperature,
        info=meta,
    )
