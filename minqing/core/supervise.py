"""Run several child processes as one: ``minqing serve`` (the web server and the job worker).

Each child gets a process group of its own, so a Ctrl-C in the terminal reaches this supervisor
only and each child is told exactly once: SIGINT and SIGTERM are forwarded as they came. When one
child exits by itself, the others get SIGTERM. Whatever is still running ``grace`` seconds later
(or at a second signal) gets SIGKILL. On Linux each child also gets SIGTERM from the kernel when
the supervisor dies (``PR_SET_PDEATHSIG``), so not even a SIGKILL of the supervisor leaves an
orphan worker running.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2
FORWARDED = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class Child:
    name: str  # shown in the supervisor's lines
    argv: Sequence[str]


@dataclass(frozen=True)
class Outcome:
    exit_code: int  # 0 when stopped by a signal; else the first child's code (1 when it was 0)
    first_exit: str  # the child that exited first on its own, "" when stopped by a signal


def _die_with_parent(parent: int) -> Callable[[], None]:
    """``preexec_fn``: SIGTERM when the supervisor dies (Linux); exit at once if it already did."""

    def preexec() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _signal(proc: subprocess.Popen[bytes], signum: int) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signum)


def _end_group(pgid: int) -> None:
    """SIGKILL every process left in the process group ``pgid`` (each child leads its own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class Supervisor:
    def __init__(
        self, children: Sequence[Child], *, env: Mapping[str, str], cwd: Path, grace: float, log: TextIO
    ):
        self.children = list(children)
        self.env = dict(env)
        self.cwd = cwd
        self.grace = grace
        self.log = log
        self.received: list[int] = []

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)

    def say(self, line: str) -> None:
        self.log.write(f"minqing serve: {line}\n")
        self.log.flush()

    def run(self) -> Outcome:
        previous = {s: signal.signal(s, self._on_signal) for s in FORWARDED}
        procs: dict[str, subprocess.Popen[bytes]] = {}
        stop_with: int = signal.SIGTERM
        try:
            for child in self.children:
                procs[child.name] = subprocess.Popen(
                    list(child.argv),
                    env=self.env,
                    cwd=self.cwd,
                    process_group=0,
                    preexec_fn=_die_with_parent(os.getpid()),
                )
                self.say(f"{child.name} 已启动 / started, pid {procs[child.name].pid}")
            outcome, stop_with = self._watch(procs)
            return outcome
        finally:  # the one place the children are stopped (also after an error)
            self._stop(procs, stop_with)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _watch(self, procs: dict[str, subprocess.Popen[bytes]]) -> tuple[Outcome, int]:
        """Wait for a signal or a child's exit: the outcome and the signal to stop the rest with."""
        while True:
            if self.received:
                signum = self.received[0]
                name = signal.Signals(signum).name
                self.say("收到停止信号,停止全部进程 / stop signal received, stopping every process: " + name)
                return Outcome(0, ""), signum
            for name, proc in procs.items():
                code = proc.poll()
                if code is not None:
                    self.say(f"{name} 已退出 / exited ({code}),停止其余进程 / stopping the others")
                    return Outcome(code if code > 0 else 1, name), signal.SIGTERM
            time.sleep(POLL_SECONDS)

    def _stop(self, procs: Mapping[str, subprocess.Popen[bytes]], signum: int) -> None:
        """Tell every running child ``signum`` once; SIGKILL after the grace or a further signal;
        then end whatever is left in the children's process groups (a gunicorn worker whose
        master was killed outright would otherwise run on until it noticed)."""
        try:
            self._stop_children(procs, signum)
        finally:
            for proc in procs.values():
                _end_group(proc.pid)

    def _stop_children(self, procs: Mapping[str, subprocess.Popen[bytes]], signum: int) -> None:
        running = [p for p in procs.values() if p.poll() is None]
        if not running:
            return
        seen = len(self.received)
        for proc in running:
            _signal(proc, signum)
        deadline = time.monotonic() + self.grace
        while any(p.poll() is None for p in running):
            if time.monotonic() >= deadline or len(self.received) > seen:
                self.say("强制结束 / killing what is left")
                for proc in running:
                    _signal(proc, signal.SIGKILL)
                for proc in running:
                    proc.wait()
                return
            time.sleep(POLL_SECONDS / 2)
