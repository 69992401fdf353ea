"""Text normalisation shared by the split, the training and the suggestion service."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """The text the model sees: NFKC (full-width to half-width), lower case, runs of spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def squash(text: str) -> str:
    """The text with every space and punctuation mark removed: the key for near-duplicate grouping."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
