"""``python -m benchmarks.nlp_topics_real``: hot topics on the real shipped messages, for inspection.

The issue asks that the hot topics be checked on real data by inspection as well as on the planted
set. The only real messages the project has are the shipped ones (`minqing/nlp/data/messages/`:
6,907 titles and 5,247 full texts, public 2020 Teddy Cup data); they carry no user, time or likes.
So every message is its own user, the times are spread evenly over 2019 in file order (the files
are not in time order, so recency and growth play no part), and there are no likes: the ranking
is by size and people alone. What this shows is whether the groups are one matter each: the
top ``TOP`` topics are written out with every member's text (cut to ``SHOWN`` characters) for a
reader to judge; the judgement is in docs/nlp.md.

Full texts are used as messages with their first sentence (up to 40 characters, after the
salutation) as the title, as a hotline summary would be. Runs in about a minute.
"""

import csv
import datetime as dt
import re
import time
from typing import Any

from benchmarks.common import ROOT, header, machine, write_results

TOP = 15
SHOWN = 60
MESSAGES = ROOT / "minqing" / "nlp" / "data" / "messages"
_SENTENCE = re.compile(r"^(.{4,40}?)[。！？!?\n]")


def _messages() -> list[Any]:
    from minqing.nlp.topics.cluster import Message, without_greeting

    rows: list[tuple[str, str, str]] = []
    with (MESSAGES / "titles.csv").open(encoding="utf-8") as fh:
        rows += [(f"t{i}", r["title"], "") for i, r in enumerate(csv.DictReader(fh), 2)]
    with (MESSAGES / "details.csv").open(encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh), 2):
            text = r["detail"].strip()
            m = _SENTENCE.match(without_greeting(text))
            rows.append((f"d{i}", m.group(1) if m else without_greeting(text)[:40], text))
    start = dt.datetime(2019, 1, 1)
    step = dt.timedelta(days=365) / len(rows)
    return [
        Message(id=mid, user=mid, title=title, time=start + step * n, detail=detail)
        for n, (mid, title, detail) in enumerate(rows)
    ]


def run() -> dict[str, Any]:
    from minqing.nlp.topics.cluster import hot_topics

    messages = _messages()
    by_id = {m.id: m for m in messages}
    t0 = time.perf_counter()
    topics = hot_topics(messages, top=TOP)
    seconds = time.perf_counter() - t0
    return {
        "command": "python -m benchmarks.nlp_topics_real",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "messages": len(messages),
        "seconds": round(seconds, 1),
        "topics": [
            {
                **t.as_json(),
                "members": [(by_id[m.id].title + " | " + by_id[m.id].detail)[:SHOWN] for m in t.messages],
            }
            for t in topics
        ],
    }


def render(r: dict[str, Any]) -> str:
    lines = header("Hot topics on the real shipped messages (issue 13, part 4): for inspection", r)
    lines += [
        f"{r['messages']:,} messages (titles as they are; full texts with their first sentence as "
        "title), each its own user, times spread evenly over 2019 in file order, no likes; "
        f"`hot_topics(messages, top={TOP})` took {r['seconds']} s. Each topic with its members "
        f"(file and line: t = titles.csv, d = details.csv; text cut to {SHOWN} characters).",
        "",
    ]
    for t in r["topics"]:
        lines.append(
            f"## {t['rank']}. {t['label']} (heat {t['heat']}, {t['size']} messages, "
            f"{t['people']} people; place: {t['place'] or '-'})"
        )
        lines.append("")
        lines += [f"- `{mid}` {text}" for mid, text in zip(t["ids"], t["members"], strict=True)]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    write_results("nlp_topics_real", run(), render)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    main()
