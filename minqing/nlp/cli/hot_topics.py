"""``minqing nlp hot-topics FILE --top N --json``: the hottest topics of a message CSV
(``留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数``) as a JSON list of
``{"rank", "heat", "label", "place", "start", "end", "size", "people", "ids"}``."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from minqing.core.errors import DomainError, ErrorCode
from minqing.nlp.topics.cluster import hot_topics
from minqing.nlp.topics.teddy import read_messages

NAME = "hot-topics"
HELP = "热点发现:读取留言 CSV,输出热度最高的话题(JSON) / hot topics of a message CSV, as JSON"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="UTF-8 CSV,表头 留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数 / "
        "header 留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数",
    )
    parser.add_argument(
        "--top", default="10", metavar="N", help="输出前 N 个话题(默认 10) / the top N topics (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON(默认即是) / print JSON (the default)")


def run(options: dict[str, Any], out: TextIO) -> None:
    top = str(options["top"])
    if not top.isdigit() or int(top) < 1:
        raise DomainError(ErrorCode.NLP_BAD_TOP, value=top)
    messages = read_messages(Path(options["file"]))
    out.write(json.dumps([t.as_json() for t in hot_topics(messages, top=int(top))], ensure_ascii=False))
