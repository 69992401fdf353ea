"""``minqing nlp duplicates FILE --json``: pairs of rows of a CSV (``id,text``) judged the same
matter, with scores, as a JSON list ``[{"a": id, "b": id, "score": float}, ...]``."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from minqing.nlp.duplicates.csvrows import read_rows
from minqing.nlp.duplicates.index import THRESHOLD
from minqing.nlp.duplicates.pairs import duplicate_pairs

NAME = "duplicates"
HELP = "找出 CSV(id,text)中说同一件事的行对,输出 JSON / rows of an id,text CSV about the same matter, as JSON"
HEADER = ("id", "text")


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="UTF-8 CSV,表头 id,text / header id,text")
    parser.add_argument("--json", action="store_true", help="输出 JSON(默认即是) / print JSON (the default)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help="判为同一件事的最低分(默认 %(default)s) / lowest score of a pair (default %(default)s)",
    )


def run(options: dict[str, Any], out: TextIO) -> None:
    rows = read_rows(Path(options["file"]), HEADER)
    pairs = duplicate_pairs([(cells[0], cells[1]) for _, cells in rows], threshold=options["threshold"])
    out.write(json.dumps(pairs, ensure_ascii=False))
