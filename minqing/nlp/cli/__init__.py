"""The sub-commands of ``minqing nlp``: one module per sub-command in this package.

A module here that defines ``NAME`` (the sub-command, e.g. ``"hot-topics"``), ``HELP``,
``add_arguments(parser)`` and ``run(options, out)`` is picked up by
``minqing/nlp/management/commands/nlp.py`` without touching it. ``run`` writes its result to
``out`` and raises ``DomainError`` for anything the user can fix.
"""

import importlib
import pkgutil
from argparse import ArgumentParser
from types import ModuleType
from typing import Any, Protocol, TextIO, cast


class SubCommand(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: ArgumentParser) -> None: ...

    def run(self, options: dict[str, Any], out: TextIO) -> None: ...


def subcommands() -> dict[str, SubCommand]:
    """name -> module, for every module of this package that defines a sub-command."""
    found: dict[str, SubCommand] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module: ModuleType = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = cast(SubCommand, module)
    return found
