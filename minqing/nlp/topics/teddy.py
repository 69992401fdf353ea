"""Reading the 2020 Teddy Cup message CSV shape:
``留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数`` (times like ``2019/2/28 11:25:05``)."""

import datetime as dt
from pathlib import Path

from minqing.core.errors import DomainError, ErrorCode
from minqing.nlp.duplicates.csvrows import read_rows
from minqing.nlp.topics.cluster import Message
from minqing.nlp.topics.columns import HEADER

TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
)


def parse_time(value: str) -> dt.datetime | None:
    text = value.strip()
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _count(path: Path, line: int, column: str, value: str) -> int:
    text = value.strip() or "0"
    if not text.isdigit():
        raise DomainError(ErrorCode.NLP_BAD_COUNT, path=path, line=line, column=column, value=value)
    return int(text)


def read_messages(path: Path) -> list[Message]:
    out = []
    for line, (mid, user, title, time, detail, against, likes) in read_rows(path, HEADER):
        when = parse_time(time)
        if when is None:
            raise DomainError(ErrorCode.NLP_BAD_TIME, path=path, line=line, value=time)
        out.append(
            Message(
                id=mid,
                user=user.strip(),
                title=title.strip(),
                time=when,
                detail=detail.strip(),
                likes=_count(path, line, HEADER[6], likes),
                against=_count(path, line, HEADER[5], against),
            )
        )
    return out
