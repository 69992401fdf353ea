"""``minqing nlp SUBCOMMAND ...``: text analysis commands (``eval``, ``train``, ``split`` ...).

The sub-commands are the modules of ``minqing.nlp.cli`` (see its docstring); this command only
dispatches to them.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from minqing.core.errors import DomainError
from minqing.nlp.cli import subcommands


class Command(BaseCommand):
    help = "文本分析:分类建议的评测与训练等 / text analysis: evaluate and train the category model, ..."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        for name, module in subcommands().items():
            module.add_arguments(sub.add_parser(name, help=module.HELP, description=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        module = subcommands()[options["subcommand"]]
        try:
            module.run(options, self.stdout)  # type: ignore[arg-type]  # OutputWrapper is a TextIOBase
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
