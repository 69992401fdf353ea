"""The upload probe (issue 16, "Done when"): a 1,000,000-row xlsx and zip bombs sent to every
upload form and import command; each must be refused, with its message in Chinese and English,
within 5 s and 200 MB.

    python -m benchmarks.upload_probe [--skip-web] [--skip-cli] [--kinds units,problems]

The entry points are the rows of ``minqing/core/tests/upload_table.py`` (a test fails when a new
form or command has no row). The files (``minqing/core/tests/hostile_files.py``), cached under
``var/upload_probe/``:

- ``rows_1m.xlsx``: a real xlsx of a header and 1,000,000 rows, its ``<dimension>`` saying so;
- ``rows_1m_nodim.xlsx``: the same without ``<dimension>`` (a reader learns the count by reading);
- ``rows_1m_thin.xlsx``: 1,000,000 rows of one number each, small enough for every form's cap on
  the file sent (the others are refused by the 10 MB cap of the programme upload first);
- ``rows_1m.csv``: 1,000,000 rows of CSV;
- ``bomb.xlsx``: ~1 MB whose sheet unpacks to 1.2 GB and whose zip headers say so;
- ``lying_bomb.xlsx``: the same with the sheet declared as 1,000 bytes in both zip headers;
- ``lying_lzma.xlsx``: a 1.2 GB sheet packed with lzma (which Python's zipfile unpacks without a
  bound per read) and declared as 1,000 bytes.

Web: a fresh SQLite database in a temporary directory, migrated, with a small world made through
the services (``upload_probe_world``), served by gunicorn (one sync worker, as ``make run`` serves
the app) on a free loopback port. For each form: GET the page for the CSRF token, POST the file
as multipart with the office user's session, and measure the wall time of the request and the
worker's peak RSS during it (``VmHWM`` of ``/proc/<worker>/status``, reset through
``/proc/<worker>/clear_refs`` before each request). CLI: ``minqing import KIND FILE`` for every
kind, run by ``benchmarks.measure`` (wall time and the command's own peak RSS, Python start and
Django set-up included). Results: benchmarks/results/upload_probe.md and .json.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import MINQING, ROOT, env_for, header, machine, ok, run, write_results
from minqing.core.tests.hostile_files import bomb_xlsx, rows_xlsx
from minqing.core.tests.upload_table import CLI_IMPORTS, WEB_UPLOADS

LIMIT_S, LIMIT_MB = 5.0, 200.0
ROWS = 1_000_000
BOMB_MB = 1200
CACHE = ROOT / "var" / "upload_probe"
SECRET = "upload-probe-" + "x" * 40

# what each file must be refused with: (Chinese, English) fragments of the message
TOO_MANY_ROWS = ("超过 200000 行", "more than 200000 rows")
TOO_LARGE = ("过大(超过 200 MB", "too large (over 200 MB")
FORGED = ("实际大小与声明不符", "larger than its header declares")
BAD_METHOD = ("不支持的压缩方式", "unsupported compression method")
UPLOAD_TOO_LARGE = ("上传的文件超过", "The uploaded file exceeds")  # a form's own cap on the file sent


def _files() -> dict[str, Path]:
    """The hostile files, made once and cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Any] = {
        "rows_1m.xlsx": lambda p: rows_xlsx(p, ROWS),
        "rows_1m_nodim.xlsx": lambda p: rows_xlsx(p, ROWS, dimension=False),
        "rows_1m_thin.xlsx": lambda p: rows_xlsx(p, ROWS, thin=True),
        "rows_1m.csv": _rows_csv,
        "bomb.xlsx": lambda p: bomb_xlsx(p, BOMB_MB),
        "lying_bomb.xlsx": lambda p: bomb_xlsx(p, BOMB_MB, lie=True),
        "lying_lzma.xlsx": lambda p: bomb_xlsx(p, BOMB_MB, lie=True, compression=zipfile.ZIP_LZMA),
    }
    out = {}
    for name, make in makers.items():
        path = CACHE / name
        if not path.exists():
            t0 = time.perf_counter()
            make(path.with_suffix(".part" + path.suffix))
            path.with_suffix(".part" + path.suffix).rename(path)
            print(f"made {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        out[name] = path
    return out


def _rows_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("单位代码,名称,数量\n")
        block = []
        for n in range(2, ROWS + 2):
            block.append(f"1509{n:08d},单位{n},{n}\n")
            if len(block) == 10_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    return path


def expected(name: str, path: Path, max_upload_mb: int | None = None) -> tuple[str, str]:
    if max_upload_mb is not None and path.stat().st_size > max_upload_mb * 1024 * 1024:
        return UPLOAD_TOO_LARGE
    if name.startswith("rows_"):
        return TOO_MANY_ROWS
    return {"bomb.xlsx": TOO_LARGE, "lying_bomb.xlsx": FORGED, "lying_lzma.xlsx": BAD_METHOD}[name]


# --- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS


@contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = _free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "300"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        workers = _children(proc.pid)
        assert len(workers) == 1, workers
        yield base, workers[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


class Browser:
    """Cookies, CSRF and multipart, with urllib (no third-party client)."""

    def __init__(self, base: str, cookies: dict[str, str]) -> None:
        self.base = base
        self.cookies = dict(cookies)

    def _open(self, req: urllib.request.Request) -> tuple[int, str]:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            resp = urllib.request.urlopen(req, timeout=120)
        except urllib.error.HTTPError as err:
            resp = err
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, resp.read().decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post_file(self, path: str, token: str, file: Path) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body = head + file.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + path, data=body, method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("Referer", self.base + path)
        return self._open(req)


def _token(html: str) -> str:
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def web(files: dict[str, Path], tmp: Path) -> list[dict[str, Any]]:
    env = env_for(f"sqlite:///{tmp / 'probe.sqlite3'}", tmp, SECRET_KEY=SECRET, DEBUG="False")
    run([*MINQING, "migrate", "--noinput", "-v0"], env)
    world = json.loads(run([sys.executable, "-m", "benchmarks.upload_probe_world"], env).stdout)
    urls = {
        "catalogues:power_import": "/catalogues/powers/import/",
        "catalogues:reform_import": "/catalogues/reforms/import/",
        "catalogues:commendation_import": "/catalogues/commendations/import/",
        "programmes:upload": f"/programmes/{world['programme']}/upload/",
    }
    rows = []
    with server(env) as (base, worker):
        browser = Browser(base, {world["session_cookie"]: world["session"]})
        for entry in WEB_UPLOADS:
            path = urls[entry.url]
            for name, file in files.items():
                status, page = browser.get(path)
                assert status == 200, (entry.url, status)
                token = _token(page)
                before_kb = _status_kb(worker, "VmRSS")
                _reset_peak(worker)
                t0 = time.perf_counter()
                status, page = browser.post_file(path, token, file)
                seconds = time.perf_counter() - t0
                peak_mb = _status_kb(worker, "VmHWM") / 1024
                words = expected(name, file, entry.max_upload_mb)
                said = all(w in page for w in words)
                rows.append(
                    {
                        "entry": entry.url,
                        "file": name,
                        "status": status,
                        "seconds": round(seconds, 2),
                        "rss_before_mb": round(before_kb / 1024, 1),
                        "peak_rss_mb": round(peak_mb, 1),
                        "message": words[0],
                        "refused": status == 200 and said,
                        "ok": status == 200 and said and seconds < LIMIT_S and peak_mb < LIMIT_MB,
                    }
                )
                print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def startup(tmp: Path) -> dict[str, float]:
    """What a command costs before it reads anything: ``minqing import units`` of a missing file
    (Python start, Django set-up, the refusal), median of 5."""
    env = env_for(f"sqlite:///{tmp / 'cli.sqlite3'}", tmp, SECRET_KEY=SECRET)
    runs = []
    for _ in range(5):
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.measure",
            *MINQING,
            "import",
            "units",
            str(tmp / "none.xlsx"),
        ]
        runs.append(json.loads(run(cmd, env).stdout))
    runs.sort(key=lambda x: x["seconds"])
    mid = runs[len(runs) // 2]
    return {"seconds": round(mid["seconds"], 2), "peak_rss_mb": round(mid["maxrss_kb"] / 1024, 1)}


def cli(files: dict[str, Path], tmp: Path, kinds: list[str]) -> list[dict[str, Any]]:
    env = env_for(f"sqlite:///{tmp / 'cli.sqlite3'}", tmp, SECRET_KEY=SECRET)
    run([*MINQING, "migrate", "--noinput", "-v0"], env)
    rows = []
    for kind in kinds:
        for name, file in files.items():
            cmd = [
                sys.executable,
                "-m",
                "benchmarks.measure",
                *MINQING,
                "import",
                kind,
                str(file),
                "--no-progress",
            ]
            res = json.loads(run(cmd, env).stdout)
            words = expected(name, file)
            said = all(w in res["err"] for w in words)
            peak_mb = res["maxrss_kb"] / 1024
            rows.append(
                {
                    "entry": f"minqing import {kind}",
                    "file": name,
                    "status": res["rc"],
                    "seconds": round(res["seconds"], 2),
                    "peak_rss_mb": round(peak_mb, 1),
                    "message": words[0],
                    "refused": res["rc"] != 0 and said,
                    "ok": res["rc"] != 0 and said and res["seconds"] < LIMIT_S and peak_mb < LIMIT_MB,
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def render(r: dict[str, Any]) -> str:
    lines = header("Upload probe: hostile files against every upload form and import command", r)
    lines += [
        f"Target: every file refused with its message in Chinese and English, within {LIMIT_S:.0f} s "
        f"and {LIMIT_MB:.0f} MB peak RSS (web: the gunicorn worker during the request; CLI: the "
        "whole command, Python start and Django set-up included).",
        "",
        "| file | bytes on disk | what it is |",
        "|---|---:|---|",
    ]
    for f in r["files"]:
        lines.append(f"| `{f['name']}` | {f['bytes']:,} | {f['what']} |")
    for title, key in (("Upload forms (gunicorn, one sync worker)", "web"), ("Import commands", "cli")):
        if not r.get(key):
            continue
        lines += ["", f"## {title}", ""]
        lines += [
            "| entry point | file | answer | seconds | peak RSS MB | message | ok |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        for x in r[key]:
            lines.append(
                f"| {x['entry']} | `{x['file']}` | {x['status']} | {x['seconds']:.2f} "
                f"| {x['peak_rss_mb']:.0f} | {x['message']} | {ok(x['ok'])} |"
            )
    if r.get("cli_startup"):
        s = r["cli_startup"]
        lines += [
            "",
            f"A command's start-up alone (`minqing import units` of a missing file, median of 5): "
            f"{s['seconds']:.2f} s, {s['peak_rss_mb']:.0f} MB; the rest of a command's time is the refusal.",
        ]
    lines += ["", f"All within the target: {ok(r['all_ok'])}", ""]
    return "\n".join(lines)


WHAT = {
    "rows_1m.xlsx": "1,000,000 rows, `<dimension>` declared",
    "rows_1m_nodim.xlsx": "1,000,000 rows, no `<dimension>`",
    "rows_1m_thin.xlsx": "1,000,000 rows of one number each (under the 10 MB upload cap)",
    "rows_1m.csv": "1,000,000 rows of CSV",
    "bomb.xlsx": f"sheet unpacks to {BOMB_MB} MB, headers say so",
    "lying_bomb.xlsx": f"sheet unpacks to {BOMB_MB} MB, headers declare 1,000 bytes",
    "lying_lzma.xlsx": f"lzma sheet unpacks to {BOMB_MB} MB, headers declare 1,000 bytes",
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--skip-web", action="store_true")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--kinds", default=",".join(CLI_IMPORTS), help="import kinds to probe (default: all)")
    args = ap.parse_args(argv)
    files = _files()
    tmp = Path(tempfile.mkdtemp(prefix="minqing-upload-probe-"))
    try:
        result: dict[str, Any] = {
            "command": "python -m benchmarks.upload_probe" + (" " + " ".join(argv or sys.argv[1:])).rstrip(),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "files": [{"name": n, "bytes": p.stat().st_size, "what": WHAT[n]} for n, p in files.items()],
            "web": [] if args.skip_web else web(files, tmp),
            "cli": [] if args.skip_cli else cli(files, tmp, [k for k in args.kinds.split(",") if k]),
        }
        if not args.skip_cli:
            result["cli_startup"] = startup(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["all_ok"] = all(x["ok"] for x in result["web"] + result["cli"])
    write_results("upload_probe", result, render)
    if not result["all_ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
