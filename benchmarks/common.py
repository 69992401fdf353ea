"""What every benchmark shares: paths, subprocess runs, databases, the machine, result files."""

import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MINQING = [sys.executable, "-m", "minqing.cli"]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/minqing_bench"


def run(cmd, env, capture=True):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, capture_output=capture)


def env_for(url, var_dir, **extra: str):
    env = dict(
        os.environ, DATABASE_URL=url, MINQING_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings"
    )
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def measured_demo(env, scale):
    """``minqing demo`` timed in a child; ``benchmarks.measure`` runs it as its only child, so
    RUSAGE_CHILDREN there is the demo's peak RSS alone."""
    cmd = [sys.executable, "-m", "benchmarks.measure", *MINQING, "demo", "--scale", scale, "--no-progress"]
    res = json.loads(run(cmd, env).stdout)
    if res["rc"] != 0:
        raise SystemExit(f"demo failed:\n{res['err']}")
    return {
        "seconds": round(res["seconds"], 1),
        "peak_rss_mb": round(res["maxrss_kb"] / 1024, 1),
        "output": res["out"],
    }


def recreate_pg(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def vacuum_pg(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import django

    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def ok(flag):
    return "✅" if flag else "❌"


def header(title: str, r: dict[str, Any]) -> list[str]:
    m = r["machine"]
    return [
        f"# {title}",
        "",
        f"Command: `{r['command']}`  ",
        f"Date: {r['date']}  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['platform']}; "
        f"Python {m['python']}, Django {m['django']}",
        "",
    ]


def write_results(name: str, result: dict[str, Any], render: Callable[[dict[str, Any]], str]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(render(result))
    print((RESULTS / f"{name}.md").read_text())
