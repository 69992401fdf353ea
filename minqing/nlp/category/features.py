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


@dataclass(frozen=True)
class Hasher:
    bits: int = 20
    min_n: int = 1
    max_n: int = 3

    @property
    def size(self) -> int:
        return 1 << self.bits

    def counts(self, texts: Sequence[str]) -> csr_matrix:
        """The (texts x buckets) matrix of n-gram counts of the normalised texts."""
        codes = codepoints(texts)
        is_sep = codes == _SEP
        doc = np.cumsum(is_sep) - is_sep  # the text each position belongs to
        shift = np.uint64(64 - self.bits)
        keys = []
        h = np.zeros(len(codes), dtype=np.uint64)
        bad = np.zeros(len(codes), dtype=bool)
        for n in range(1, self.max_n + 1):
            m = len(codes) - n + 1
            # h[i] = hash of codes[i : i + n]; bad[i] = that window touches a separator
            h = h[:m] * _MIX + codes[n - 1 : n - 1 + m] + np.uint64(n)
            bad = bad[:m] | is_sep[n - 1 : n - 1 + m]
            if n < self.min_n:
                continue
            keep = ~bad
            buckets = ((h[keep] * _MULT) >> shift).astype(np.int64)
            keys.append((doc[:m][keep] << self.bits) | buckets)
        # one sort gives the rows in order, the buckets sorted and the duplicates counted
        uniq, tf = np.unique(np.concatenate(keys), return_counts=True)
        rows = uniq >> self.bits
        indptr = np.searchsorted(rows, np.arange(len(texts) + 1))
        return csr_matrix(
            (tf.astype(np.float32), (uniq & (self.size - 1)).astype(np.int32), indptr),
            shape=(len(texts), self.size),
        )


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
