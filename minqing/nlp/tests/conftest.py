"""Every nlp test starts with the shipped default model: no model trained on this machine's ledger
(``var/nlp/category_model.npz``) and no ``NLP_CATEGORY_MODEL`` setting leaks in."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.NLP_CATEGORY_MODEL = ""


# the ledger's small world (``lw``) for similar_problems and the hot-topics selector
from minqing.ledger.tests.conftest import fast_hasher, lw  # noqa: E402, F401
