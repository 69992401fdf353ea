"""Character bigram shingles of a text, as sorted unique ``uint32`` keys (``first << 16 | second``).

The text is NFKC-normalised, lower-cased and stripped of spaces and punctuation first, so the
same words written with full-width or half-width characters, or punctuated differently, give the
same shingles. Characters outside the Basic Multilingual Plane are folded to U+FFFF.
"""

import numpy as np
import numpy.typing as npt

from minqing.nlp.category.text import squash

Keys = npt.NDArray[np.uint32]


def codes(text: str) -> npt.NDArray[np.uint32]:
    """The code points of the squashed text."""
    raw = np.frombuffer(squash(text).encode("utf-32-le"), dtype=np.uint32)
    return np.minimum(raw, 0xFFFF)


def shingles(text: str) -> Keys:
    """The distinct character bigrams of ``text`` (a one-character text gives that character)."""
    c = codes(text)
    if c.size == 0:
        return np.zeros(0, dtype=np.uint32)
    if c.size == 1:
        return c.astype(np.uint32)
    keys = (c[:-1] << np.uint32(16)) | c[1:]
    return np.unique(keys)
