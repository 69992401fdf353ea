"""No Chinese string literal in a Python module reaches a user without gettext (issue 15, item 6).

Every string literal holding a Chinese character must be an argument of a gettext function
(``gettext``, ``gettext_lazy``, ``gettext_noop``, ``ngettext``, ``pgettext`` ..., usually as ``_``),
a docstring, a bilingual message written "中文 / English", or sit in a module of the allowlist
below, each with the reason its Chinese is data rather than a message. A new module with a bare
Chinese message fails this test and names the line.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

CJK = re.compile(r"[\u3400-\u9fff]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}
BILINGUAL = re.compile(r" / [A-Za-z]")  # "审计记录只能追加 / audit rows are append-only"

# module path (or folder, ending in /) -> why its Chinese literals are data, not messages
ALLOWED = {
    "minqing/api/routers/": "OpenAPI summaries, tags, descriptions: one document, bilingual in each string",
    "minqing/api/v1.py": "the OpenAPI document's title and description, bilingual in each string",
    "minqing/api/registration.py": "the OpenAPI field descriptions of the registration body, bilingual",
    "minqing/api/auth.py": "the OpenAPI security scheme's description, bilingual in one string",
    "minqing/demo/": "the demo's generated records: names, places, titles, the seed articles' vocabulary",
    "minqing/catalogues/formats.py": "import column headers and their Chinese aliases (the file format)",
    "minqing/catalogues/importers/": "import value words (Chinese input the importer reads)",
    "minqing/catalogues/forms.py": "suggested commendation titles (records' values, typed in Chinese)",
    "minqing/orgs/importers/": "import column headers and value words (the file format)",
    "minqing/activities/importers/": "import column headers and value words (the file format)",
    "minqing/programmes/importers/": "import column headers and value words (the file format)",
    "minqing/campaigns/importers/": "import column headers and value words (the file format)",
    "minqing/ledger/importers/": "import column headers and value words (the file format)",
    "minqing/ledger/problem_format.py": "the problem import/export format's column headers and yes/no words",
    "minqing/ledger/services/bulk.py": "a stored event note (record data, shown as recorded)",
    "minqing/core/importing/values.py": "parsers of Chinese input (是/否, 年月日, 时分)",
    "minqing/core/tabular.py": "yes/no cell words of the import format; a progress-bar unit on the console",
    "minqing/activities/types_seed.py": "the default activity types (records, editable by the office)",
    "minqing/activities/models.py": "counting-word choice values (stored; their labels are translated)",
    "minqing/activities/coverage_rules.py": "a job-title word matched against records (书记)",
    "minqing/orgs/divisions.py": "the root division's name (record data)",
    "minqing/nlp/units.py": "the level words of unit names the gazetteer matches (街道, 嘎查: data)",
    "minqing/reports/metrics/study.py": "counting-word keys (stored values; the labels are translated)",
    "minqing/reports/bulletins/formatting.py": "the Chinese document's number and date forms",
    "minqing/reports/bulletins/wording.py": "the Chinese document's area words (全旗, 全县 ...)",
    "minqing/reports/bulletins/topics.py": "the Chinese document's hot-topics sentence (近30日 ...)",
    "minqing/reports/bulletins/services.py": "the Chinese document's 附注 form (（说明：…）)",
    "minqing/reports/bulletins/renderers/docx.py": "font names of the GB/T 9704 layout",
    "minqing/core/audit_archive.py": "a bilingual refusal, 中文 (English), in an f-string",
    "minqing/core/backup/": "console messages of backup/restore, bilingual 中文 / English by convention",
    "minqing/ledger/masking.py": "the mask word of a name (王大妈 → 王某): data written into the public text",
    "minqing/ops/prodcheck/": "the prod-check's load: the titles and texts of its test submissions",
    "minqing/core/management/commands/": "console help and output of commands, bilingual by convention",
    "minqing/reports/management/commands/": "console help of the bulletin command, bilingual by convention",
    "minqing/ledger/management/commands/": "console output of commands, bilingual by convention",
    "minqing/orgs/management/commands/": "console output of commands, bilingual by convention",
    "minqing/activities/management/commands/": "console output of commands, bilingual by convention",
    "minqing/nlp/duplicates/labelled.py": "the labelled set's rewrite words (generated test data)",
    "minqing/nlp/topics/planted.py": "the planted set's lead words and sentences (test data)",
    "minqing/nlp/topics/columns.py": "the Teddy Cup CSV header (the file format)",
    "minqing/nlp/topics/cluster.py": "place suffixes and lead words matched in Chinese text",
}


def _allowed(rel: str) -> bool:
    return any(rel == key or (key.endswith("/") and rel.startswith(key)) for key in ALLOWED)


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """Literals inside a gettext call's arguments, and docstrings."""
    ok: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in GETTEXT:
                for arg in node.args:
                    ok.update(id(n) for n in ast.walk(arg))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            ok.add(id(node.value))  # a docstring or a bare string statement
    return ok


def bare_literals(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "minqing").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or _allowed(rel):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ok = _exempt_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CJK.search(node.value)
                and id(node) not in ok
                and not BILINGUAL.search(node.value)
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_no_chinese_literal_bypasses_gettext() -> None:
    found = bare_literals(Path(settings.BASE_DIR))
    assert not found, "Chinese literals outside gettext:\n" + "\n".join(found)


def test_the_scan_finds_a_bare_message(tmp_path: Path) -> None:
    module = tmp_path / "minqing" / "example" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        'def f():\n    """文档说明."""\n    ok = _("已保存")\n    return "保存失败" + ok\n',
        encoding="utf-8",
    )
    assert bare_literals(tmp_path) == ["minqing/example/views.py:5: '保存失败'"]


def test_every_allowlisted_module_exists() -> None:
    root = Path(settings.BASE_DIR)
    assert all((root / key).exists() for key in ALLOWED), [k for k in ALLOWED if not (root / k).exists()]


# templates: Chinese only inside {% translate %} / {% blocktranslate %}, _("...") or a comment
TEMPLATE_ALLOWED = {
    "minqing/templates/500.html": "the server-error page, rendered without a request: bilingual as written",
    "minqing/templates/503.html": "the database-unavailable page: bilingual as written, like 500.html",
}
_TRANSLATED = (
    re.compile(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
)


def bare_template_text(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "minqing").rglob("templates/**/*.html")):
        rel = path.relative_to(root).as_posix()
        if rel in TEMPLATE_ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in _TRANSLATED:
            text = pattern.sub("", text)
        found += [f"{rel}: {line.strip()[:80]}" for line in text.splitlines() if CJK.search(line)]
    return found


def test_no_chinese_template_text_outside_translate_tags() -> None:
    found = bare_template_text(Path(settings.BASE_DIR))
    assert not found, "Chinese template text outside {% translate %}:\n" + "\n".join(found)


def test_the_template_scan_finds_bare_text(tmp_path: Path) -> None:
    page = tmp_path / "minqing" / "x" / "templates" / "x" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('{% translate "保存" %}{# 注释 #}\n<p>未翻译</p>\n', encoding="utf-8")
    assert bare_template_text(tmp_path) == ["minqing/x/templates/x/page.html: <p>未翻译</p>"]
