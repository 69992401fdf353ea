"""Hashed character n-gram TF-IDF features, computed with numpy over a whole batch at once.

sklearn's ``TfidfVectorizer(analyzer="char")`` builds every n-gram as a Python string: about
3 000 slices per 400-character letter, far too slow for the intake service. Here a batch of texts
is joined into one array of code points; the n-grams of every length are hashed with integer
arithmetic on that array (``n`` shifted views), n-grams that cross a text boundary are dropped,
and the (text, bucket) pairs become a sparse count matrix. TF is sublinear (``1 + log tf``), each
bucket has an IDF weight learnt at training (0 for buckets seen in fewer than ``min_df`` training
texts, which prunes rare n-grams), and rows are L2-normalised: the same weighting as
``TfidfVectorizer(sublinear_tf=True)``, without a vocabulary to store.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

_SEP = 0  # code point that joins the texts of a batch (never in a cleaned text)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier
_MIX = np.uint64(1_000_003)
_SPACES = np.array([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x3000])


class Grams:
    """The hashed n-grams of one batch of texts, each length hashed once: the model's parts (the
    1-3-grams and the 1-2-grams) share the code points and the hashes of the lengths they have in
    common."""

    def __init__(self, texts: Sequence[str], bits: int) -> None:
        self.n_texts = len(texts)
        self.bits = bits
        self._codes = codepoints(texts)
        self._is_sep = self._codes == _SEP
        self._doc = np.cumsum(self._is_sep) - self._is_sep  # the text each position belongs to
        self._h = np.zeros(len(self._codes), dtype=np.uint64)
        self._bad = np.zeros(len(self._codes), dtype=bool)
        self._keys: list[np.ndarray] = []  # [n - 1]: (text << bits) | bucket of every n-gram

    def _of_length(self, n: int) -> np.ndarray:
        codes, shift = self._codes, np.uint64(64 - self.bits)
        while len(self._keys) < n:
            k = len(self._keys) + 1
            m = len(codes) - k + 1
            # h[i] = hash of codes[i : i + k]; bad[i] = that window touches a separator
            self._h = self._h[:m] * _MIX + codes[k - 1 : k - 1 + m] + np.uint64(k)
            self._bad = self._bad[:m] | self._is_sep[k - 1 : k - 1 + m]
            keep = ~self._bad
            buckets = ((self._h[keep] * _MULT) >> shift).astype(np.int64)
            self._keys.append((self._doc[:m][keep] << self.bits) | buckets)
        return self._keys[n - 1]

    def sparse(self, min_n: int, max_n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, buckets, counts) of the texts' ``min_n``..``max_n``-grams, in CSR order."""
        keys = np.concatenate([self._of_length(n) for n in range(min_n, max_n + 1)])
        # one sort gives the rows in order, the buckets sorted and the duplicates counted
        uniq, tf = np.unique(keys, return_counts=True)
        indptr = np.searchsorted(uniq >> self.bits, np.arange(self.n_texts + 1))
        return indptr, (uniq & ((1 << self.bits) - 1)).astype(np.int32), tf


@dataclass(frozen=True)
class Hasher:
    bits: int = 20
    min_n: int = 1
    max_n: int = 3

    @property
    def size(self) -> int:
        return 1 << self.bits

    def counts(self, texts: Sequence[str] | Grams) -> csr_matrix:
        """The (texts x buckets) matrix of n-gram counts of the normalised texts."""
        grams = texts if isinstance(texts, Grams) else Grams(texts, self.bits)
        assert grams.bits == self.bits
        indptr, buckets, tf = grams.sparse(self.min_n, self.max_n)
        return csr_matrix((tf.astype(np.float32), buckets, indptr), shape=(grams.n_texts, self.size))

    def tfidf_scores(self, grams: Grams, idf: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """``tfidf(self.counts(grams), idf) @ weights`` without building the intermediate matrices
        (the one-message path of the intake service spends most of its time building them)."""
        indptr, buckets, tf = grams.sparse(self.min_n, self.max_n)
        data = ((1.0 + np.log(tf)) * idf[buckets]).astype(np.float32)
        rows = np.repeat(np.arange(grams.n_texts), np.diff(indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=grams.n_texts))
        norms[norms == 0] = 1.0
        data /= norms[rows].astype(np.float32)
        if grams.n_texts == 1:
            return (data @ weights[buckets])[None, :]
        x = csr_matrix((data, buckets, indptr), shape=(grams.n_texts, self.size))
        return np.asarray(x @ weights)


def codepoints(texts: Sequence[str]) -> np.ndarray:
    """The texts joined by ``_SEP`` (and ended by it) as code points, normalised: full-width ASCII
    to half-width, upper to lower case, every space (ideographic too) to one plain space."""
    joined = "\0".join(t.replace("\0", " ").strip() for t in texts).lower() + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    full = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[full] -= 0xFEE0
    upper = (codes >= 0x41) & (codes <= 0x5A)  # full-width letters, now half-width
    codes[upper] += 0x20
    codes[np.isin(codes, _SPACES)] = 0x20
    space = codes == 0x20
    keep = np.ones(len(codes), dtype=bool)
    keep[1:] = ~(space[1:] & space[:-1])
    return codes[keep].astype(np.uint64)


def tfidf(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Sublinear TF times IDF, rows L2-normalised (empty rows stay zero)."""
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    m = csr_matrix(
        (data / norms[rows], counts.indices.copy(), counts.indptr.copy()),
        shape=counts.shape,
        dtype=np.float32,
    )
    m.eliminate_zeros()  # in place: hence the copies, ``counts`` stays as it was
    return m


def fit_idf(counts: csr_matrix, min_df: int = 2) -> np.ndarray:
    """Smoothed IDF per bucket (as sklearn's ``smooth_idf``), 0 below ``min_df`` texts."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    idf[df < min_df] = 0.0
    return idf
