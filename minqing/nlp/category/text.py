"""Text normalisation for near-duplicate grouping (the model's own normalisation is in features.py)."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """The text with every space and punctuation mark removed, NFKC, lower case: the key for
    near-duplicate grouping."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
