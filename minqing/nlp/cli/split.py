"""``minqing nlp split``: rebuild the held-out split of the shipped messages (data/split.csv and
data/heldout/*.csv) from the rule in ``minqing.nlp.category.split``; the result is deterministic."""

from argparse import ArgumentParser
from typing import Any, TextIO

from django.utils.translation import gettext as _

from minqing.nlp.category.split import DATA, write_split

NAME = "split"
HELP = "重建随附留言数据的留出集划分 / rebuild the held-out split of the shipped messages"


def add_arguments(parser: ArgumentParser) -> None:
    pass


def run(options: dict[str, Any], out: TextIO) -> None:
    counts = write_split(DATA)
    out.write(
        _("已重建留出集:标题 {titles} 条,全文 {details} 条").format(
            titles=counts["titles"], details=counts["details"]
        )
    )
