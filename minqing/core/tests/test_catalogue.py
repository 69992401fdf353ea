"""English is a full translation: every Chinese source string has an English text."""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete() -> None:
    po = polib.pofile(str(PO))
    assert len(po) > 200
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)s|\{[\w.:]+\}")
    for e in polib.pofile(str(PO)):
        texts = [e.msgstr] if not e.msgid_plural else list(e.msgstr_plural.values())
        for text in texts:
            assert sorted(pattern.findall(text)) == sorted(pattern.findall(e.msgid_plural or e.msgid)), (
                e.msgid
            )
