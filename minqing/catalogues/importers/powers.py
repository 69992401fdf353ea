"""``minqing import powers FILE``: the 权力清单 format (docs/import-formats.md).

部门代码, 部门名称 (ignored), 权力类别, 事项名称, 事项编码, 设定依据, 公布日期, 是否有效.
Key: 部门代码 + 权力类别 + 事项名称. 是否有效 blank: 是.
"""

from pathlib import Path
from typing import Any

from minqing.catalogues.formats import POWERS
from minqing.catalogues.importers._common import CatalogueCheck, start, write
from minqing.catalogues.models import PowerCategory
from minqing.catalogues.services._common import KeyedRow
from minqing.catalogues.services.powers import CODE_MAX, NAME_MAX, power_items_upsert, power_row
from minqing.core.importing import ImportResult
from minqing.core.importing.values import Choices
from minqing.core.tabular import Record
from minqing.orgs.actors import Actor

CATEGORIES = Choices(PowerCategory.choices, {"其他行政权力": PowerCategory.OTHER})
BASIS_MAX = 4000


def read(check: CatalogueCheck, rec: Record) -> KeyedRow | None:
    before = len(check.issues)
    unit = check.writable_unit(rec, "unit_code")
    category = check.choice(rec, "category", CATEGORIES)
    name = check.text(rec, "name", NAME_MAX, required=True)
    values: dict[str, Any] = {}
    if check.cmap.has("code"):
        values["code"] = check.text(rec, "code", CODE_MAX)
    if check.cmap.has("legal_basis"):
        values["legal_basis"] = check.text(rec, "legal_basis", BASIS_MAX)
    if check.cmap.has("published_on"):
        values["published_on"] = check.date(rec, "published_on")
    if check.cmap.has("is_active"):
        values["is_active"] = check.flag(rec, "is_active", True)
    if unit is not None and category and name:
        check.once(rec, "name", (unit.pk, category, name), name)
    if len(check.issues) > before or unit is None:
        return None
    return power_row(unit=unit, category=category, name=name, values=values)


def import_powers(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create or update its power-list items in one transaction."""
    check, records = start(path, POWERS, actor, progress)
    rows = [r for r in (read(check, rec) for rec in records) if r is not None]
    check.finish()
    return write(lambda: power_items_upsert(actor=actor, rows=rows, source=path.name))
