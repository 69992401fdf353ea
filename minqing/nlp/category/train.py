"""Training a category model from (text, label) pairs: the shipped messages, the ledger, or both.

The model (chosen by grouped cross-validation on the training side only,
``benchmarks/nlp_category_cv.py``; docs/nlp.md) is the sum of four linear scorers on two
feature sets:

- features: ``Hasher`` n-grams (1-3-grams and 1-2-grams), IDF fitted on the training texts,
  buckets in fewer than ``MIN_DF`` texts dropped;
- on each feature set, a linear SVM (one-vs-rest, classes balanced) and an NBSVM (Wang & Manning
  2012: per class, the features scaled by the log-count ratio of that class against the rest,
  then a binary SVM; the scaling folds into the weights);
- each scorer's scores are divided by their spread (the standard deviation of the row-centred
  scores on calibration texts), so the four count alike, and summed: the two scorers of a
  feature set become one weight matrix, a ``Part`` of the model.

1. Calibration: the scorers are first fitted on a stratified 80 % (grouped when groups are
   given) and score the other 20 %; there each scorer's spread is measured, and the temperature
   that minimises the log-loss of ``softmax(sum / T)`` is kept, so the confidences are
   calibrated probabilities rather than raw margins.
2. The final scorers are fitted on all the texts and summed with those spreads.
"""

import warnings
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, diags
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GroupShuffleSplit, StratifiedShuffleSplit
from sklearn.svm import LinearSVC

from minqing.nlp.category.features import Hasher, fit_idf, tfidf
from minqing.nlp.category.model import CategoryModel, Part

HASHERS = (Hasher(bits=20, min_n=1, max_n=3), Hasher(bits=20, min_n=1, max_n=2))
MIN_DF = 2
C = 1.0
SEED = 13

Linear = tuple[np.ndarray, np.ndarray]  # weights (buckets x classes), intercept (classes,)


def _svm(x: object, y: Sequence[str] | np.ndarray, weights: np.ndarray | None) -> LinearSVC:
    clf = LinearSVC(C=C, class_weight="balanced", max_iter=5000, random_state=SEED)
    clf.fit(x, y, sample_weight=weights)
    return clf


def _linear_svm(x: csr_matrix, y: np.ndarray, w: np.ndarray | None, classes: list[str]) -> Linear:
    clf = _svm(x, y, w)
    assert list(clf.classes_) == classes
    coef = clf.coef_.astype(np.float32)
    intercept = clf.intercept_.astype(np.float32)
    if coef.shape[0] == 1:  # two classes: sklearn gives one margin
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.array([-intercept[0], intercept[0]], dtype=np.float32) / 2
    return np.ascontiguousarray(coef.T), intercept


def _nbsvm(x: csr_matrix, y: np.ndarray, w: np.ndarray | None, classes: list[str]) -> Linear:
    present = x.copy()
    present.data[:] = 1.0
    weights = np.zeros((x.shape[1], len(classes)), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float32)
    for j, label in enumerate(classes):
        pos = y == label
        p = 1.0 + np.asarray(present[pos].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(present[~pos].sum(axis=0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        clf = _svm(x @ diags(r), pos, w)
        weights[:, j] = r * clf.coef_.ravel()
        intercept[j] = clf.intercept_[0]
    return weights, intercept


SCORERS = (_linear_svm, _nbsvm)


def _fit_part(
    counts: csr_matrix, y: np.ndarray, w: np.ndarray | None, classes: list[str]
) -> tuple[np.ndarray, list[Linear]]:
    idf = fit_idf(counts, MIN_DF)
    used = np.flatnonzero(idf)
    # the solver's time grows with the columns: fit on the used buckets only (the same solution)
    x = tfidf(counts, idf)[:, used]
    scorers = []
    for scorer in SCORERS:
        weights, intercept = scorer(x, y, w, classes)
        full = np.zeros((counts.shape[1], len(classes)), dtype=np.float32)
        full[used] = weights
        scorers.append((full, intercept))
    return idf, scorers


def _spread(scores: np.ndarray) -> float:
    centred = scores - scores.mean(axis=1, keepdims=True)
    return float(centred.std()) or 1.0


def _temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    def nll(log_t: float) -> float:
        s = scores / np.exp(log_t)
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(truth)), truth].mean())

    res = minimize_scalar(nll, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(res.x))


def _calibration_rows(y: np.ndarray, groups: Sequence[int] | None) -> tuple[np.ndarray, np.ndarray]:
    if groups is not None:
        split = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=SEED)
        fit_rows, cal_rows = next(split.split(np.zeros(len(y)), y, np.asarray(groups)))
    else:
        strat = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=SEED)
        fit_rows, cal_rows = next(strat.split(np.zeros(len(y)), y))
    return fit_rows, cal_rows


def _scores(counts: csr_matrix, idf: np.ndarray, scorer: Linear) -> np.ndarray:
    return np.asarray(tfidf(counts, idf) @ scorer[0]) + scorer[1]


def _weighted_sum(arrays: list[np.ndarray], spreads: list[float]) -> np.ndarray:
    out = np.zeros_like(arrays[0], dtype=np.float32)
    for a, sd in zip(arrays, spreads, strict=True):
        out += a / np.float32(sd)
    return out


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    groups: Sequence[int] | None = None,
    weights: Sequence[float] | None = None,
    info: dict[str, object] | None = None,
) -> CategoryModel:
    """A model trained on ``texts`` with ``labels`` (at least two classes).

    A class of a handful of texts among thousands (a ledger's rare category) can keep the solver
    from converging within ``max_iter``: its weights are then the best found, the model is still
    used, and ``info["capped_fits"]`` says how many fits stopped at the cap (instead of
    scikit-learn's warnings on the console)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model = _fit(texts, labels, groups, weights, info)
    capped = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    for w in caught:
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if capped:
        model.info["capped_fits"] = capped
    return model


def _fit(
    texts: Sequence[str], labels: Sequence[str], groups: Sequence[int] | None,
    weights: Sequence[float] | None, info: dict[str, object] | None,
) -> CategoryModel:  # fmt: skip
    if len(set(labels)) < 2:
        raise ValueError("need at least two categories")
    counts = [h.counts(texts) for h in HASHERS]
    y = np.asarray(labels)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    classes = sorted(set(labels))
    spreads: list[list[float]] | None = None
    temperature = 1.0
    if len(texts) >= 20 and min(Counter(labels).values()) >= 2:
        fit_rows, cal_rows = _calibration_rows(y, groups)
        if len(set(y[fit_rows])) == len(classes):
            wf = None if w is None else w[fit_rows]
            spreads, total = [], np.zeros((len(cal_rows), len(classes)))
            for c in counts:
                idf, scorers = _fit_part(c[fit_rows], y[fit_rows], wf, classes)
                raw = [_scores(c[cal_rows], idf, s) for s in scorers]
                spreads.append([_spread(s) for s in raw])
                total += _weighted_sum(raw, spreads[-1])
            temperature = _temperature(total, np.searchsorted(classes, y[cal_rows]))
    parts = []
    for k, (hasher, c) in enumerate(zip(HASHERS, counts, strict=True)):
        idf, scorers = _fit_part(c, y, w, classes)
        sds = spreads[k] if spreads else [_spread(_scores(c, idf, s)) for s in scorers]
        parts.append(
            Part(
                hasher=hasher,
                idf=idf,
                weights=_weighted_sum([s[0] for s in scorers], sds),
                intercept=_weighted_sum([s[1] for s in scorers], sds),
            )
        )
    meta = dict(info or {})
    meta["n"] = len(texts)
    meta["per_class"] = dict(sorted(Counter(labels).items()))
    return CategoryModel(classes=classes, parts=parts, temperature=temperature, info=meta)
