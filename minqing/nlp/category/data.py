"""Training examples: the shipped messages (training side of the split) and the ledger's problems."""

import csv
from dataclasses import dataclass, field

from minqing.nlp.category.split import SPLIT_FILE, training_rows

SEPARATOR = "/"


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # rows of one group are one matter

    def extend(self, other: "Examples") -> None:
        offset = max(self.groups, default=-1) + 1
        self.texts += other.texts
        self.labels += other.labels
        self.groups += [g + offset for g in other.groups]


def shipped_examples() -> Examples:
    """The training side of the shipped split: titles and full texts, with their groups."""
    with SPLIT_FILE.open(encoding="utf-8", newline="") as fh:
        group = {(r["file"], int(r["row"])): int(r["group"]) for r in csv.DictReader(fh)}
    rows = training_rows()
    return Examples([r.text for r in rows], [r.label for r in rows], [group[(r.file, r.row)] for r in rows])


def ledger_examples() -> Examples:
    """Every problem with a category that is not a merged duplicate: text = title + description,
    label = the first-level name of its final category (a level-2/3 category counts as its root).

    A system job over the whole ledger (like the deadline job), not a read on behalf of a user.
    """
    from minqing.ledger.models import Problem

    out = Examples()
    rows = (
        Problem.objects.filter(category__isnull=False, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", "title", "description", "category__full_name")
    )
    for pk, title, description, full_name in rows.iterator(chunk_size=2000):
        text = f"{title}\n{description}".strip()
        if not text:
            continue
        out.texts.append(text)
        out.labels.append(full_name.split(SEPARATOR, 1)[0])
        out.groups.append(pk)
    return out
