"""The problem taxonomy (一级 / 二级 / 三级分类): loading it, and the file shipped with Minqing.

``categories_load`` is idempotent: a category is known by its full name (城乡建设/安全生产/事故处理),
so loading the same rows twice creates nothing the second time. The data migration
``ledger.0002_categories`` calls ``load_shipped`` with the historical model, so every install
starts with the taxonomy of ``minqing/fixtures/categories/label_hierarchy.csv``; offices edit it
in the admin afterwards.
"""

import csv
from pathlib import Path
from typing import Any

from minqing.ledger.services.categories import categories_load

SHIPPED = Path(__file__).resolve().parent.parent / "fixtures" / "categories" / "label_hierarchy.csv"


def read_shipped(path: Path = SHIPPED) -> list[list[str]]:
    """The rows of a hierarchy CSV (header 一级分类, 二级分类, 三级分类), header skipped."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[1:]


def load_shipped(apps: Any, schema_editor: Any) -> None:
    """Migration entry point: the shipped taxonomy, with the migration's historical model."""
    categories_load(read_shipped(), model=apps.get_model("ledger", "Category"))
