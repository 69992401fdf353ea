"""Every ``actor`` is explicit: typed, never defaulted, never ``None`` meaning "the system".

``Actor`` (``minqing.orgs.actors``) is a user, an API application or ``SYSTEM``; ``None`` means
nobody. A parameter named ``actor`` must be annotated with a type that names ``Actor`` and
must have no default (a test helper may default to ``SYSTEM``); no call may pass
``actor=None`` (pass ``SYSTEM``), except the calls named in ``NOBODY`` where nobody acts on
purpose. Keyword ``actor=`` in ORM calls and model constructors names a column, not an actor.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import minqing

ROOT = Path(minqing.__file__).parent
# (file, function called): calls that pass actor=None because nobody acts, on purpose
NOBODY = {
    # a failed password or code step (core/forms.py, accounts/services/code_step.py): nobody is
    # signed in yet
    ("minqing/core/lockout.py", "audit"): "a failed sign-in step is audited with nobody signed in",
    ("minqing/activities/checkin_identify.py", "audit"): "a phone check-in: the attendee is not signed in",
}
ORM_CALLS = {"filter", "exclude", "get", "create", "update", "get_or_create", "update_or_create"}


def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _actor_args(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[ast.arg, ast.expr | None]]:
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    yield from ((arg, d) for arg, d in zip(positional, defaults, strict=True) if arg.arg == "actor")
    yield from ((arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if arg.arg == "actor")


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _problems(path: Path, root: Path = ROOT.parent) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg, default in _actor_args(node):
                note = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if "Actor" not in note:
                    yield f"{where}:{arg.lineno} {node.name}(actor: {note or 'untyped'})"
                in_tests = "tests" in where.parts
                if default is not None and not (in_tests and ast.unparse(default) == "SYSTEM"):
                    yield f"{where}:{arg.lineno} {node.name}(actor=...) has a default"
        elif isinstance(node, ast.Call):
            called = _called(node)
            if called in ORM_CALLS or called[:1].isupper() or (str(where), called) in NOBODY:
                continue
            for kw in node.keywords:
                if kw.arg == "actor" and isinstance(kw.value, ast.Constant) and kw.value.value is None:
                    yield f"{where}:{node.lineno} passes actor=None"
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "actor"
            and "Actor" not in ast.unparse(node.annotation)
        ):
            yield f"{where}:{node.lineno} actor: {ast.unparse(node.annotation)}"


def test_every_actor_is_explicit() -> None:
    problems = [p for path in _sources() for p in _problems(path)]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_an_untyped_actor(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(actor=None):\n    g(actor=None)\n    Event(actor=None)\n    qs.filter(actor=None)\n",
        encoding="utf-8",
    )
    found = list(_problems(bad, tmp_path))
    assert found == [
        "bad.py:1 f(actor: untyped)",
        "bad.py:1 f(actor=...) has a default",
        "bad.py:2 passes actor=None",
    ]
