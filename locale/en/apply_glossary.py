"""Fill the English catalogue from the glossary.

Run from the project root after ``makemessages`` has regenerated the catalogue::

    .venv/bin/python locale/en/apply_glossary.py            # fill, then list what is left
    .venv/bin/python locale/en/apply_glossary.py --strict   # same, exit 1 if anything is left

``glossary.json`` (next to this script) maps each Chinese msgid to its English text. A plural
entry (``msgid_plural``) maps to a list ``[singular, plural]``. An entry with a context would
be keyed ``"<msgctxt>\\u0004<msgid>"`` (the gettext convention); the plain msgid is the fallback.

Only entries with an empty msgstr, or flagged ``fuzzy`` (msgmerge's guesses), are touched;
existing translations are left alone. A glossary text whose placeholders ({code}, %(n)s, %s
...) differ from the msgid's is not used and is reported. Whatever is still untranslated or
fuzzy is printed, one msgid a line, so it can be translated and added to the glossary.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
DEFAULT_PO = HERE / "LC_MESSAGES" / "django.po"
DEFAULT_GLOSSARY = HERE / "glossary.json"
WRAP = 79  # what Django's makemessages (msgmerge) uses

# %(name)s, %s, %d ... and {name}, {0}, {seconds:.1f}; "{{" / "}}" and "%%" are literal.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXocr%]")
_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def placeholders(text: str) -> list[str]:
    found = [m for m in _PERCENT.findall(text) if m != "%%"]
    found += [m for m in _BRACE.findall(text) if m not in ("{{", "}}")]
    return sorted(found)


def lookup(glossary: dict[str, object], entry: polib.POEntry) -> object:
    if entry.msgctxt is not None:
        key = f"{entry.msgctxt}\x04{entry.msgid}"
        if key in glossary:
            return glossary[key]
    return glossary.get(entry.msgid)


def needs_work(entry: polib.POEntry) -> bool:
    if entry.obsolete or not entry.msgid:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def check(entry: polib.POEntry, texts: list[str]) -> str | None:
    """Why ``texts`` cannot be used for ``entry``, or None."""
    if any(not isinstance(t, str) or not t for t in texts):
        return "empty or not text"
    if entry.msgid_plural:
        if len(texts) != 2:
            return "a plural entry needs [singular, plural]"
    elif len(texts) != 1:
        return "a singular entry needs one text, not a list"
    want = placeholders(entry.msgid)
    want_plural = placeholders(entry.msgid_plural) if entry.msgid_plural else want
    for i, t in enumerate(texts):
        got = placeholders(t)
        # gettext lets a singular form drop the count (e.g. "one unit"), so compare as sets there.
        if entry.msgid_plural and i == 0:
            if not set(got) <= set(want_plural) | set(want):
                return f"placeholders {got} do not match {want}"
        elif got != (want_plural if i else want):
            return f"placeholders {got} do not match {want_plural if i else want}"
    return None


def fill(po: polib.POFile, glossary: dict) -> tuple[int, list[str]]:
    filled, problems = 0, []
    for entry in po:
        if not needs_work(entry):
            continue
        value = lookup(glossary, entry)
        if value is None:
            continue
        texts = value if isinstance(value, list) else [value]
        why = check(entry, texts)
        if why:
            problems.append(f"{entry.msgid!r}: {why}")
            continue
        if entry.msgid_plural:
            nplurals = po_nplurals(po)
            entry.msgstr_plural = {i: texts[0] if i == 0 else texts[1] for i in range(nplurals)}
        else:
            entry.msgstr = texts[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        filled += 1
    return filled, problems


def po_nplurals(po: polib.POFile) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(m.group(1)) if m else 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("po", nargs="?", type=Path, default=DEFAULT_PO, help="catalogue (default: %(default)s)")
    ap.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY, help="default: %(default)s")
    ap.add_argument("--strict", action="store_true", help="exit 1 if anything is left untranslated")
    args = ap.parse_args(argv)

    glossary = json.loads(args.glossary.read_text(encoding="utf-8"))
    po = polib.pofile(str(args.po), wrapwidth=WRAP)

    changed = False
    if po.metadata_is_fuzzy:  # a freshly generated header
        po.metadata_is_fuzzy = False
        changed = True
    if not po.metadata.get("Language"):
        po.metadata["Language"] = "en"
        changed = True

    filled, problems = fill(po, glossary)
    if filled or changed:
        po.save(str(args.po))

    left = [e for e in po if needs_work(e)]
    print(f"{args.po}: filled {filled} from the glossary; {len(left)} still untranslated or fuzzy")
    for p in problems:
        print(f"  not used: {p}", file=sys.stderr)
    for e in left:
        ctx = f"[{e.msgctxt}] " if e.msgctxt is not None else ""
        print(f"{ctx}{e.msgid}")
    return 1 if args.strict and left else 0


if __name__ == "__main__":
    sys.exit(main())
