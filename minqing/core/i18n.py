"""Compile the .po catalogues to .mo with polib, so a machine without GNU gettext can run us.

Run as ``python -m minqing.core.i18n``; ``make`` does it on install.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent.parent


def compile_all(root: Path = ROOT) -> list[Path]:
    written = []
    for po_path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for p in compile_all():
        print(f"compiled {p}")
