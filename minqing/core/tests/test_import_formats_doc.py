"""docs/import-formats.md lists every word the importers accept besides the canonical ones."""

from pathlib import Path

import pytest

from minqing.core.importing.values import NO_WORDS, YES_WORDS
from minqing.ledger.importers.problem_words import SYNONYMS
from minqing.orgs.importers.people import RANKS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "import-formats.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("word", sorted(YES_WORDS | NO_WORDS))
def test_every_yes_no_word_is_documented(word: str) -> None:
    assert f"`{word}`" in DOC.lower()


def test_every_rank_synonym_is_documented() -> None:
    missing = [w for w in RANKS.synonyms if w not in DOC]
    assert missing == []


def test_every_problem_synonym_is_documented() -> None:
    missing = [w for groups in SYNONYMS.values() for words in groups.values() for w in words if w not in DOC]
    assert missing == []
