"""The words that differ between two texts: runs of characters of one text whose bigrams (the
shingles of the duplicates index) do not occur in the other, after the same normalisation as the
shingles, trimmed of edge characters the other text has too (a run of new bigrams starts and
ends on a shared character: "亮来电人称泉" is shown as "来电人称")."""

from minqing.nlp.category.text import squash

MIN_RUN = 2
MAX_WORDS = 8


def only_in(text: str, other: str, limit: int = MAX_WORDS) -> list[str]:
    """Runs of ``text`` (at least ``MIN_RUN`` characters) whose bigrams are absent from ``other``,
    longest first, at most ``limit``."""
    a, b = squash(text), squash(other)
    seen = {b[i : i + 2] for i in range(len(b) - 1)}
    chars = set(b)
    runs: list[str] = []
    start = -1
    for i in range(len(a) - 1):
        new = a[i : i + 2] not in seen
        if new and start < 0:
            start = i
        elif not new and start >= 0:
            runs.append(a[start : i + 1])
            start = -1
    if start >= 0:
        runs.append(a[start:])
    runs = [_trim(r, chars) for r in runs]
    runs = [r for r in runs if len(r) >= MIN_RUN]
    out: list[str] = []
    for r in sorted(runs, key=len, reverse=True):
        if r not in out:
            out.append(r)
    return out[:limit]


def _trim(run: str, chars: set[str]) -> str:
    start, end = 0, len(run)
    while start < end and run[start] in chars:
        start += 1
    while end > start and run[end - 1] in chars:
        end -= 1
    return run[start:end]
