"""Duplicate lookup against a growing store.

``python -m benchmarks.nlp_duplicates [--sizes 100000,300000,1000000]``

Writes ``benchmarks/results/nlp_duplicates.md`` and ``.json``.

The stored messages are synthesised from the shipped messages (titles and full texts): each is a
random shipped text with perturbations (its county code such as ``A5区`` replaced by another, a
random span of 2-20 characters deleted, a lead such as "市民来电反映:" added, a two-digit
number appended), so the postings have the shape of a real ledger. They are added in blocks of
``BLOCK`` as the ledger index does. Queries (``QUERIES``, one at a time, after a warm-up):
half are a stored message perturbed again (a stored copy of the same shipped text must be among
the 5 found: recall@5 is reported; at 1M every shipped text has about 80 perturbed copies), half
are shipped titles as they are (the phoned-in case). Per query we time wall-clock and CPU
(``time.thread_time``) of ``ShingleIndex.search(text, k=5)``; the baseline, measured in the same
run on the same index, is one ``np.bincount`` of ``minlength = N`` (the fixed cost of touching an
array of the store's size once).
"""

import argparse
import json
import platform
import random
import re
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from minqing.nlp.category.split import read_messages
from minqing.nlp.duplicates.index import MAX_POSTINGS, TEXT_CHARS, ShingleIndex

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20261206
BLOCK = 100_000
QUERIES = 1000
LEADS = ("", "", "市民来电反映:", "网友留言:", "关于", "投诉")
_COUNTY = re.compile(r"[A-Z]\d{0,2}[市县区]")
LETTERS = "ABCDEFGHIJKLMN"


def perturb(text: str, rng: random.Random) -> str:
    code = f"{rng.choice(LETTERS)}{rng.randint(1, 12)}{rng.choice('市县区')}"
    out = _COUNTY.sub(code, text, count=1)
    if len(out) > 30:
        i = rng.randrange(0, len(out) - 20)
        out = out[:i] + out[i + rng.randint(2, 20) :]
    return rng.choice(LEADS) + out + str(rng.randint(10, 99))


def build(
    n: int, texts: list[str], rng: random.Random
) -> tuple[ShingleIndex, list[tuple[object, str]], float]:
    """The index (a document's id is the shipped text it was made from) and a sample of
    (source, stored text) to query for."""
    index = ShingleIndex()
    sample: list[tuple[object, str]] = []
    per_block = QUERIES // 2 // max(1, n // BLOCK) + 1
    t0 = time.perf_counter()
    for start in range(0, n, BLOCK):
        sources = [rng.randrange(len(texts)) for _ in range(min(BLOCK, n - start))]
        batch: list[tuple[object, str]] = [(src, perturb(texts[src], rng)) for src in sources]
        index.add(batch)
        sample.extend(rng.sample(batch, min(len(batch), per_block)))
    return index, sample, time.perf_counter() - t0


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def arrays_mb(index: ShingleIndex) -> float:
    blocks = sum(b.keys.nbytes + b.offsets.nbytes + b.docs.nbytes for b in index.blocks)
    return (blocks + index._df_keys.nbytes + index._df.nbytes + index._weights.nbytes) / 2**20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def measure(n: int, texts: list[str], titles: list[str]) -> dict[str, Any]:
    rng = random.Random(SEED + n)
    index, sample, build_s = build(n, texts, rng)
    postings = sum(b.docs.size for b in index.blocks)
    queries: list[tuple[str, object]] = []
    for source, text in sample[: QUERIES // 2]:
        queries.append((perturb(text, rng), source))
    queries += [(t, None) for t in rng.sample(titles, QUERIES - len(queries))]
    blocks = len(index.blocks)
    out: dict[str, Any] = {
        "stored": n,
        "postings": int(postings),
        "build_seconds": round(build_s, 1),
        "blocks": blocks,
        "index_arrays_mb": round(arrays_mb(index), 1),
        "process_rss_mb": round(rss_mb(), 1),
        **_timed(index, queries, n),
    }
    t0 = time.perf_counter()
    index.compact()
    out["compact_seconds"] = round(time.perf_counter() - t0, 1)
    out["one_block"] = _timed(index, queries, n)
    return out


def _timed(index: ShingleIndex, queries: list[tuple[str, object]], n: int) -> dict[str, float]:
    for warm, _ in queries[:50]:
        index.search(warm, k=5)
    wall, cpu, base = [], [], []
    found = 0
    for text, number in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        hits = index.search(text, k=5)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        if number is not None:
            found += any(index.ids[hit] == number for hit, _ in hits)  # a copy of the same source
        t0 = time.perf_counter()
        np.bincount(np.zeros(1, dtype=np.int64), minlength=n)
        base.append(time.perf_counter() - t0)
    return {
        "wall_ms_p50": round(pct(wall, 50), 2),
        "wall_ms_p95": round(pct(wall, 95), 2),
        "cpu_ms_p50": round(pct(cpu, 50), 2),
        "cpu_ms_p95": round(pct(cpu, 95), 2),
        "baseline_bincount_ms_p50": round(pct(base, 50), 3),
        "recall_at_5_same_source": round(found / sum(1 for _, n_ in queries if n_ is not None), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,300000,1000000")
    args = parser.parse_args()
    rows = read_messages()
    texts = [r.text for r in rows]
    titles = [r.text for r in rows if r.file == "titles"]
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        res = measure(n, texts, titles)
        print(json.dumps(res), flush=True)
        results.append(res)
    meta = {
        "command": f"python -m benchmarks.nlp_duplicates --sizes {args.sizes}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()} {platform.python_version()}, {_cpu()}, 2 cores",
        "text_chars": TEXT_CHARS,
        "max_postings": MAX_POSTINGS,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlp_duplicates.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    lines = [
        "# Duplicate lookup (issue 13, part 3)",
        "",
        f"Command: `{meta['command']}`; {meta['date']}; {meta['machine']}. Method: see the module docstring.",
        "",
        "Each size is timed twice with the same queries: as added (one block per 100,000, as "
        "additions accumulate between rebuilds) and after `compact()` (one block: what the ledger's "
        "index is after a rebuild, `minqing.nlp.duplicates.service._build`).",
        "",
        "| stored | index | postings | build s | index arrays / process RSS MB | wall p50 / p95 ms "
        "| CPU p50 / p95 ms | baseline bincount ms | recall@5 (same source) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for label, t, build in (
            (f"{r['blocks']} blocks", r, r["build_seconds"]),
            ("one block", r["one_block"], f"+{r['compact_seconds']} (compact)"),
        ):
            lines.append(
                f"| {r['stored']:,} | {label} | {r['postings']:,} | {build} "
                f"| {r['index_arrays_mb']} / {r['process_rss_mb']} "
                f"| {t['wall_ms_p50']} / {t['wall_ms_p95']} | {t['cpu_ms_p50']} / {t['cpu_ms_p95']} "
                f"| {t['baseline_bincount_ms_p50']} | {t['recall_at_5_same_source']} |"
            )
    (RESULTS / "nlp_duplicates.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
