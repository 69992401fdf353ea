"""``minqing serve`` (what ``make run`` ends with): the web server and the job worker as one
command, in processes of their own on a fresh VAR_DIR; Ctrl-C stops both, and when one of them
dies the other is stopped too."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

STOP_SECONDS = 10.0

ENQUEUE = """
import json, django
django.setup()
from minqing.ledger.tasks import deadlines_every_half_hour
print(deadlines_every_half_hour().id)  # a periodic task keeps no result: the worker logs it
"""


def environment(var_dir: Path) -> dict[str, str]:
    """The base settings on ``var_dir``'s own SQLite database and huey queue, nothing in-process."""
    dropped = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("MINQING_HUEY")}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        MINQING_VAR_DIR=str(var_dir),
        PYTHONPATH=str(settings.BASE_DIR),
    )
    return environ


def minqing(args: list[str], var_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment(var_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("var")
    done = minqing(["-m", "minqing.cli", "migrate", "--noinput", "-v0"], path)
    assert done.returncode == 0, done.stderr
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gone(pid: int) -> bool:
    """Not running: no such process, or a zombie left for a reaper (an orphan's is init)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return not stat.parent.exists() if sys.platform.startswith("linux") else False


def ours(pid: int) -> bool:
    """Still running, and one of ``minqing serve``'s processes (not a reused pid)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return not gone(pid) and (b"minqing.cli" in command or b"gunicorn" in command)


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@dataclass
class Serving:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def pid(self, name: str) -> int:
        found = re.search(rf"minqing serve: {name} .*pid (\d+)", self.text())
        assert found, self.text()
        return int(found.group(1))

    def every_pid(self) -> list[int]:
        """The supervisor, both children and gunicorn's own workers."""
        booted = [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", self.text())]
        return [self.proc.pid, self.pid("web"), self.pid("worker"), *booted]

    def get(self, path: str) -> tuple[int, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as answer:
            return answer.status, answer.read().decode()


@pytest.fixture
def serving(var_dir: Path, tmp_path: Path) -> Iterator[Serving]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "minqing.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                "1",
                "--grace",
                "5",
            ],
            cwd=settings.BASE_DIR,
            env=environment(var_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as `make run` in a terminal
        )
    running = Serving(proc, port, log)
    try:
        assert wait_until(lambda: _answers(running), 60), running.text()
        yield running
    finally:  # whatever a failing test left: the supervisor and each child's process group
        children = [int(p) for p in re.findall(r"minqing serve: \w+ .*pid (\d+)", running.text())]
        for pgid in [proc.pid, *children]:
            if ours(pgid):
                os.killpg(pgid, signal.SIGKILL)
        proc.wait()


def _answers(running: Serving) -> bool:
    if running.proc.poll() is not None:
        raise AssertionError(f"minqing serve exited early:\n{running.text()}")
    try:
        return running.get(reverse("login"))[0] == 200
    except OSError:
        return False


def test_serve_answers_runs_a_queued_task_and_ctrl_c_stops_both(serving: Serving, var_dir: Path) -> None:
    status, page = serving.get("/")  # the root redirects to the login page
    assert status == 200 and 'name="password"' in page

    done = minqing(["-c", ENQUEUE], var_dir)  # enqueued by another process, as the web does
    assert done.returncode == 0, done.stderr
    executed = f"deadlines_every_half_hour: {done.stdout.strip()} executed in"
    assert wait_until(lambda: executed in serving.text(), 30), serving.text()
    assert (var_dir / "huey.sqlite3").exists()

    pids = serving.every_pid()
    assert len(pids) >= 4 and not any(gone(pid) for pid in pids)
    os.killpg(serving.proc.pid, signal.SIGINT)  # Ctrl-C in the terminal
    assert serving.proc.wait(timeout=STOP_SECONDS) == 0, serving.text()
    assert wait_until(lambda: all(gone(pid) for pid in pids), STOP_SECONDS), serving.text()
    assert group_gone(serving.pid("web")) and group_gone(serving.pid("worker"))


def test_when_the_worker_dies_the_web_server_is_stopped(serving: Serving) -> None:
    pids = serving.every_pid()
    os.kill(serving.pid("worker"), signal.SIGKILL)
    assert serving.proc.wait(timeout=STOP_SECONDS) != 0
    assert wait_until(lambda: all(gone(pid) for pid in pids), STOP_SECONDS), serving.text()
    assert "worker 已退出 / exited" in serving.text()


def test_when_the_web_server_dies_the_worker_is_stopped(serving: Serving) -> None:
    pids = serving.every_pid()
    os.kill(serving.pid("web"), signal.SIGKILL)
    assert serving.proc.wait(timeout=STOP_SECONDS) != 0
    assert wait_until(lambda: all(gone(pid) for pid in pids), STOP_SECONDS), serving.text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_killing_the_supervisor_itself_leaves_no_orphan(serving: Serving) -> None:
    children = [serving.pid("web"), serving.pid("worker")]
    serving.proc.kill()
    serving.proc.wait(timeout=STOP_SECONDS)
    assert wait_until(lambda: all(gone(pid) for pid in children), STOP_SECONDS), serving.text()
