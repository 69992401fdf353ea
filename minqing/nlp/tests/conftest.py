"""Every nlp test starts with the shipped default model: no model trained on this machine's ledger
(``var/nlp/category_model.npz``) and no ``NLP_CATEGORY_MODEL`` setting leaks in."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.NLP_CATEGORY_MODEL = ""
