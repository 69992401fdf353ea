"""Lists as the ledger grows (issue 17, part 5): views/s of the public list and the staff queue at
~9,000 and ~40,000 problems, today's code (keyset pages, counts capped at 1,000) against the code
before it (a COUNT / GROUP BY over every matching row, OFFSET pages), measured in the same run.

``python -m benchmarks.lists_growth [--skip-pg] [--pg-url URL] [--sizes 9000,40000] [--seconds 1.5]``

For each engine: a fresh database (SQLite file in a temporary directory; PostgreSQL database
``minqing_lists_bench``, created and dropped here), migrated, ``minqing demo --scale mini`` (2,000
problems), then copies of those problems (new numbers, each copy registered a whole number of
weeks earlier, so ``registered_at`` keeps its ties) up to each size, then ``ANALYZE`` (``VACUUM
ANALYZE`` on PostgreSQL). Each page is requested through Django's test Client (every middleware,
the template rendered), the old code path through a URL of this module that runs the old
selectors (copied below) and the old templates (today's, with the old count line and page
links put back). Old and new alternate in ``ROUNDS`` rounds of ``--seconds`` / ``ROUNDS`` each,
so both see the same machine load. The counting and page queries of the public list and the
office's queue, new and old, are explained on PostgreSQL at the largest size.

Results: ``benchmarks/results/lists_growth.{md,json}``.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import MINQING, ROOT, env_for, header, machine, recreate_pg, run, write_results

BENCH_ENV = {"MINQING_PUBLIC_RATE_LIMIT": "0", "DEBUG": "0", "LOG_LEVEL": "ERROR"}
PG_URL = "postgres://postgres@127.0.0.1:5432/minqing_lists_bench"
ROUNDS = 3
SELECTOR_REPEAT = 15
OFFICE, TOWNSHIP = "wlht_office", "heping_staff"  # the mini tier: 乌兰浩特市 and one township
OLD_PREFIX = "bench-old/"

# --- the code before (issue 17, part 5), for the baseline ------------------------------------


def _old_selectors() -> Any:
    """``public_problem_list`` and ``problem_queue`` as they were: an exact COUNT (public list) or
    GROUP BY state (queue) over every matching row, OFFSET pages."""
    from django.core.paginator import Paginator
    from django.db import connection

    from minqing.core.paths import prefix_q
    from minqing.ledger import selectors as s
    from minqing.ledger.enums import State
    from minqing.ledger.models import Problem

    time_scan_min = 2000  # the old threshold

    class CountedPaginator(Paginator):
        def __init__(self, object_list: Any, per_page: int, total: int) -> None:
            super().__init__(object_list, per_page)
            self._total = total

        @property
        def count(self) -> int:
            return self._total

    def public_problem_list(filters: Any = None, page: Any = 1) -> Any:
        f = s._as_filters(filters, s.PublicFilters)
        qs = Problem.objects.filter(is_public=True).exclude(state=State.MERGED)
        if f.state:
            qs = qs.filter(state=f.state)
        if f.source:
            qs = qs.filter(source=f.source)
        unit = s.public_unit_lookup(f.unit) if f.unit else None
        if f.unit and unit is None:
            qs = qs.none()
        total = qs.filter(prefix_q(unit.path, "path")).count() if unit is not None else qs.count()
        if unit is not None:
            many = total > time_scan_min and connection.vendor == "sqlite"
            qs = qs.filter(s._scan_prefix_q([unit.path], "path") if many else prefix_q(unit.path, "path"))
        qs = (
            qs.select_related("unit")
            .only(
                "title",
                "public_title",
                "public_text",
                "state",
                "resolution_kind",
                "registered_at",
                "source",
                "unit__name",
                "unit__path",
            )
            .order_by("-registered_at", "-id")
        )
        return CountedPaginator(qs, s.PAGE_SIZE, total).get_page(page)

    def problem_queue(actor: Any, *, tab: str, filters: Any = None, page: Any = 1) -> Any:
        f = s._as_filters(filters, s.QueueFilters)
        unit = s._unit_lookup(actor, f)
        sqlite = connection.vendor == "sqlite"
        by_person = sqlite and tab in (s.QueueTab.MINE, s.QueueTab.CLAIMED)
        base = Problem.objects.filter(s._tab_q(actor, tab, by_person) & s._filters_q(f, unit, by_person))
        counts = s._split_state_counts(actor, tab, f, unit) if not by_person else None
        if counts is None:
            counts = s._count_by_state(base)
        if f.state:
            base = base.filter(state=f.state)
            total = counts.get(f.state, 0)
        else:
            total = sum(counts.values())
        if total > time_scan_min and sqlite and not by_person:
            base = Problem.objects.filter(
                s._tab_q(actor, tab, time_scan=True) & s._filters_q(f, unit, time_scan=True)
            )
            if f.state:
                base = base.filter(state=f.state)
        qs = base.select_related("unit", "responsible_unit", "claimed_by", "owner").order_by(
            "-registered_at", "-id"
        )
        paginator = CountedPaginator(qs, s.PAGE_SIZE, total)
        result: Any = paginator.get_page(page)
        result.state_rows = [(st.value, str(st.label), counts.get(st.value, 0)) for st in State]
        result.unit_error = unit.error
        return result

    return public_problem_list, problem_queue


OLD_COUNT = (
    '<p class="count">{% blocktranslate count n=page_obj.paginator.count with '
    "shown=page_obj.paginator.count|intcomma %}共 {{ shown }} 个问题{% plural %}共 {{ shown }} 个问题"
    "{% endblocktranslate %}</p>"
)


def _old_template(name: str) -> Any:
    """Today's template with the old count line, page links and state badges put back."""
    from django.template import engines
    from django.template.loader import get_template

    template: Any = get_template(name)
    text = Path(template.origin.name).read_text()
    swaps = {
        '{% include "ledger/_list_count.html" %}': OLD_COUNT,
        '{% include "ledger/_keyset_pager.html" %}': '{% include "orgs/_pagination.html" %}',
        "{{ n.shown|intcomma }}{% if n.capped %}+{% endif %}": "{{ n|intcomma }}",
    }
    for new, old in swaps.items():
        text = text.replace(new, old)
    return engines["django"].from_string(text)


def old_public_view(request: Any) -> Any:
    from django.http import HttpResponse

    from minqing.ledger import selectors
    from minqing.ledger.enums import Source, State

    public_problem_list, _queue = _old_selectors()
    filters = selectors.PublicFilters.from_mapping(request.GET)
    page = public_problem_list(filters, request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "rows": selectors.public_list_rows(page),
        "unit_error": bool(filters.unit) and selectors.public_unit_lookup(filters.unit) is None,
        "states": [(v, label) for v, label in State.choices if v != State.MERGED],
        "sources": Source.choices,
        "nav": "problems",
    }
    return HttpResponse(_old_template("public/problems.html").render(context, request))


def old_queue_view(request: Any) -> Any:
    from urllib.parse import urlencode

    from django.http import HttpResponse

    from minqing.ledger.enums import Channel, Moderation, Source, State
    from minqing.ledger.selectors import QueueFilters, QueueTab

    _public, problem_queue = _old_selectors()
    tab = request.GET.get("tab", "")
    tab = tab if tab in QueueTab.VALUES else QueueTab.UNIT
    filters = QueueFilters.from_mapping(request.GET)
    page = problem_queue(request.user, tab=tab, filters=filters, page=request.GET.get("page"))
    context = {
        "tab": tab,
        "tabs": QueueTab.CHOICES,
        "filters": filters,
        "page_obj": page,
        "unit_error": page.unit_error,
        "states": State.choices,
        "sources": Source.choices,
        "channels": Channel.choices,
        "moderations": Moderation.choices,
        "export_query": urlencode({"tab": tab, **filters.as_query()}),
        "work": "",
        "work_label": "",
    }
    return HttpResponse(_old_template("ledger/queue.html").render(context, request))


def _urlpatterns() -> list[Any]:
    from django.contrib.auth.decorators import login_required
    from django.urls import include, path

    return [
        path(OLD_PREFIX + "public/problems/", old_public_view),
        path(OLD_PREFIX + "ledger/", login_required(old_queue_view)),
        path("", include("config.urls")),
    ]


# --- the child: grow the ledger, measure ------------------------------------------------------


def grow(target: int) -> float:
    """Copies of the demo's problems until there are ``target``; seconds taken."""
    from django.db import connection

    from minqing.ledger.models import Problem

    t0 = time.perf_counter()
    originals = list(Problem.objects.exclude(number__contains="~").values())
    have = Problem.objects.count()
    k = 1
    while have < target:
        batch = []
        for original in originals[: target - have]:
            row: dict[str, Any] = {key: v for key, v in original.items() if key != "id"}
            row["number"] = f"{row['number']}~{target}.{k}"
            row["registered_at"] = row["registered_at"] - datetime.timedelta(weeks=k)
            batch.append(Problem(**row))
        Problem.objects.bulk_create(batch, batch_size=2000)
        have += len(batch)
        k += 1
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_problem" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - t0


def views(client: Any, url: str, seconds: float) -> tuple[int, float, int]:
    """Requests to ``url`` for ``seconds`` after one warm-up: how many, the seconds, the status."""
    status = client.get(url).status_code
    n, t0 = 0, time.perf_counter()
    while True:
        client.get(url)
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds and n >= 3:
            return n, elapsed, status


def compare(clients: dict[str, Any], new_url: str, old_url: str, seconds: float) -> dict[str, Any]:
    """Old and new alternating in ``ROUNDS`` rounds; total views over total time for each."""
    totals = {"old": [0.0, 0], "new": [0.0, 0]}
    statuses = set()
    for _ in range(ROUNDS):
        for which, url in (("old", old_url), ("new", new_url)):
            n, elapsed, status = views(clients[which], url, seconds / ROUNDS)
            totals[which][0] += elapsed
            totals[which][1] += n
            statuses.add(status)
    old = totals["old"][1] / totals["old"][0]
    new = totals["new"][1] / totals["new"][0]
    return {
        "old_views_s": round(old, 1),
        "new_views_s": round(new, 1),
        "ratio": round(new / old, 2),
        "statuses": sorted(statuses),
    }


def explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return [r[0] for r in cursor.fetchall()]


def plans() -> dict[str, list[str]]:
    """The counting and page queries of the public list and of the office's queue, new and old,
    explained (PostgreSQL)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.ledger import selectors

    old_public, old_queue = _old_selectors()
    office = get_user_model().objects.get(username=OFFICE)
    runs = {
        "public_new": lambda: list(selectors.public_problem_list({}, {})),
        "public_old": lambda: list(old_public({}, 1).object_list),
        "queue_new": lambda: list(selectors.problem_queue(office, tab="unit")),
        "queue_old": lambda: list(old_queue(office, tab="unit").object_list),
    }
    out = {}
    for label, fn in runs.items():
        with CaptureQueriesContext(connection) as captured:
            fn()
        for q in captured.captured_queries:
            if "ledger_problem" in q["sql"]:
                kind = "count" if "COUNT(" in q["sql"] else "page"
                out[f"{label}_{kind}"] = explain(q["sql"], None)
    return out


def selector_times(users: Any, repeat: int = SELECTOR_REPEAT) -> dict[str, Any]:
    """Median milliseconds of the selectors alone (the queries and loading the page's rows: no
    template), old and new alternating call by call."""
    import statistics

    from minqing.ledger import selectors

    old_public, old_queue = _old_selectors()
    office, township = users.get(username=OFFICE), users.get(username=TOWNSHIP)
    pairs = {
        "public_first": (
            lambda: list(old_public({}, 1).object_list),
            lambda: list(selectors.public_problem_list({}, {})),
        ),
        f"queue_{OFFICE}": (
            lambda: list(old_queue(office, tab="unit").object_list),
            lambda: list(selectors.problem_queue(office, tab="unit")),
        ),
        f"queue_{TOWNSHIP}": (
            lambda: list(old_queue(township, tab="unit").object_list),
            lambda: list(selectors.problem_queue(township, tab="unit")),
        ),
    }
    out = {}
    for key, (old, new) in pairs.items():
        samples: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(repeat + 2):
            for which, fn in (("old", old), ("new", new)):
                t0 = time.perf_counter()
                fn()
                samples[which].append((time.perf_counter() - t0) * 1000)
        o, n = (statistics.median(samples[w][2:]) for w in ("old", "new"))
        out[key] = {"old_ms": round(o, 2), "new_ms": round(n, 2), "speedup": round(o / n, 2)}
    return out


def child(sizes: list[int], seconds: float) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches

    from minqing.accounts.testing import verified_login
    from minqing.ledger.models import Problem

    module = sys.modules[__name__]
    module.urlpatterns = _urlpatterns()  # type: ignore[attr-defined]
    users = get_user_model().objects
    out: dict[str, Any] = {"engine": connection.vendor, "sizes": {}}
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        clear_url_caches()
        for size in sizes:
            grow_s = grow(size)
            anon = {"old": Client(), "new": Client()}
            cases: dict[str, Any] = {}
            public = "public/problems/"
            # the 21st page (rows 1,001-1,050): OFFSET 1000 against the key of row 1,000
            tenth = (
                Problem.objects.filter(is_public=True)
                .exclude(state="merged")
                .order_by("-registered_at", "-id")
                .values_list("registered_at", "id")[999]
            )
            from minqing.ledger.keyset import Key

            key = Key(*tenth).encode()
            cases["public_first"] = compare(anon, "/" + public, "/" + OLD_PREFIX + public, seconds)
            cases["public_page21"] = compare(
                anon, f"/{public}?after={key}", f"/{OLD_PREFIX}{public}?page=21", seconds
            )
            for username in (OFFICE, TOWNSHIP):
                staff = {"old": Client(), "new": Client()}
                for c in staff.values():
                    verified_login(c, users.get(username=username))
                cases[f"queue_{username}"] = compare(
                    staff, "/ledger/?tab=unit", f"/{OLD_PREFIX}ledger/?tab=unit", seconds
                )
            selector_ms = selector_times(users)
            out["sizes"][str(size)] = {
                "selector_ms": selector_ms,
                "problems": Problem.objects.count(),
                "public": Problem.objects.filter(is_public=True).count(),
                "grow_s": round(grow_s, 1),
                "cases": cases,
            }
            print(f"[{connection.vendor}] {size}: {json.dumps(cases)}", file=sys.stderr, flush=True)
        if connection.vendor == "postgresql":
            out["plans"] = plans()
    return out


# --- the parent -------------------------------------------------------------------------------


def drop_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_LISTS_PG_URL", PG_URL))
    ap.add_argument("--sizes", default="9000,40000")
    ap.add_argument("--seconds", type=float, default=1.5, help="per case and code path")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(child(sizes, args.seconds), ensure_ascii=False))
        return None

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="minqing-lists-bench-"))
    engines = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}"}
    if not args.skip_pg:
        engines["postgresql"] = args.pg_url
    result: dict[str, Any] = {
        "command": " ".join(
            ["python -m benchmarks.lists_growth", *(argv if argv is not None else sys.argv[1:])]
        ),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "seconds_per_case": args.seconds,
        "rounds": ROUNDS,
        "engines": {},
    }
    try:
        for engine, url in engines.items():
            if engine == "postgresql":
                recreate_pg(url)
            env = env_for(url, tmp, **BENCH_ENV)
            t0 = time.perf_counter()
            run([*MINQING, "migrate", "--noinput", "-v0"], env)
            run([*MINQING, "demo", "--scale", "mini", "--no-progress"], env)
            load_s = time.perf_counter() - t0
            cmd = [sys.executable, "-m", "benchmarks.lists_growth", "--child", "--sizes", args.sizes]
            # the child's progress and errors go to this stderr
            res = subprocess.run(
                [*cmd, "--seconds", str(args.seconds)],
                env=env,
                cwd=ROOT,
                check=True,
                text=True,
                stdout=subprocess.PIPE,
            )
            result["engines"][engine] = {"load_s": round(load_s, 1), **json.loads(res.stdout)}
    finally:
        if not args.skip_pg:
            drop_pg(args.pg_url)
        shutil.rmtree(tmp, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - started, 1)
    write_results("lists_growth", result, render)
    return result


LABELS = {
    "public_first": "public list, first page (anonymous)",
    "public_page21": "public list, 21st page (rows 1,001-1,050)",
    f"queue_{OFFICE}": f"staff queue, tab 本单位, {OFFICE} (乌兰浩特市)",
    f"queue_{TOWNSHIP}": f"staff queue, tab 本单位, {TOWNSHIP} (a township)",
}


def render(r: dict[str, Any]) -> str:
    lines = header("Lists as the ledger grows (issue 17, part 5)", r)
    lines += [
        "Views per second through Django's test Client (all middleware, template rendered), one",
        "process, old and new alternating in "
        f"{r['rounds']} rounds ({r['seconds_per_case']} s per case and code path in all). "
        "**old**: a COUNT (public list) or GROUP BY state (queue) over every matching row and "
        "OFFSET pages; **new**: keyset pages and counts capped at 1,000 rows (per state for the "
        "queue). ratio = new / old, same run.",
        "",
    ]
    for engine, e in r["engines"].items():
        lines += [
            f"## {engine}",
            "",
            "| case | problems | old views/s | new views/s | ratio |",
            "|---|---|---|---|---|",
        ]
        for s in e["sizes"].values():
            for key, c in s["cases"].items():
                lines.append(
                    f"| {LABELS.get(key, key)} | {s['problems']:,} ({s['public']:,} public) | "
                    f"{c['old_views_s']} | {c['new_views_s']} | {c['ratio']} |"
                )
        lines += [
            "",
            "Selectors alone (median ms of the queries and the page's rows, no template; "
            f"{SELECTOR_REPEAT} calls each, alternating):",
            "",
            "| selector | problems | old ms | new ms | old / new |",
            "|---|---|---|---|---|",
        ]
        for s in e["sizes"].values():
            for key, c in s.get("selector_ms", {}).items():
                lines.append(
                    f"| {LABELS.get(key, key)} | {s['problems']:,} | {c['old_ms']} | {c['new_ms']} "
                    f"| {c['speedup']} |"
                )
        sizes = list(e["sizes"].values())
        if len(sizes) >= 2:
            lines += [
                "",
                f"Growth {sizes[0]['problems']:,} → {sizes[-1]['problems']:,} problems "
                "(views/s at the end / at the start):",
                "",
            ]
            for key in sizes[0]["cases"]:
                a, b = sizes[0]["cases"][key], sizes[-1]["cases"][key]
                lines.append(
                    f"- {LABELS.get(key, key)}: old {b['old_views_s'] / a['old_views_s']:.2f}, "
                    f"new {b['new_views_s'] / a['new_views_s']:.2f}"
                )
        lines.append("")
        for name, plan in e.get("plans", {}).items():
            lines += [f"Plan `{name}` at {sizes[-1]['problems']:,} problems:", "", "```", *plan, "```", ""]
    lines += [f"Whole run: {r['total_s']} s.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
