"""Start and stop the parts of the production stack (see the package's docstring)."""

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cryptography.fernet import Fernet

from minqing.core.backup import pgtools
from minqing.ops import pg
from minqing.ops.ports import wait_port

ROOT = Path(__file__).resolve().parents[3]
HUEY_THREADS = 2  # the job worker's threads (each can have one send in flight when it is killed)
JOB_WORKER_KILLS = 1  # how often the fault schedule (__main__.faults) kills the job worker


def _wait_port(port: int, what: str, timeout: float = 60) -> None:
    if not wait_port(port, timeout):
        raise TimeoutError(f"{what} did not listen on {port} in {timeout:.0f} s")


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: IO[bytes]

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace: float = 15) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()


@dataclass
class Stack:
    work: Path
    primary: pg.Server | None = None
    replica: pg.Server | None = None
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, Proc] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    # --- the parts --------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Proc:
        log = (self.work / f"{name}.log").open("ab")
        popen = subprocess.Popen(
            argv, cwd=ROOT, env=env or {**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.procs[name] = Proc(name, popen, log)
        return self.procs[name]

    def start_databases(self) -> None:
        started = time.monotonic()
        self.work.mkdir(parents=True, exist_ok=True)
        self.primary = pg.primary(self.work / "pg")
        self.primary.conf("\nmax_connections = 200\nsynchronous_commit = on\n")
        self.primary.restart("fast")
        self.replica = pg.replica(self.primary)
        self.timings["databases_s"] = time.monotonic() - started

    def start_pgbouncer(self) -> None:
        assert self.primary is not None
        port = pg.free_port()
        folder = self.work / "pgbouncer"
        folder.mkdir(exist_ok=True)
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        (folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"minqing = host=127.0.0.1 port={self.primary.port} dbname=minqing\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 500\ndefault_pool_size = 40\n"
            "server_reset_query =\nignore_startup_parameters = extra_float_digits,options\n"
            "server_login_retry = 1\n"
            f"logfile = {folder / 'pgbouncer.log'}\n"
        )
        pgtools.give_to_server_user(folder)
        self._spawn("pgbouncer", pgtools.as_server_user(["pgbouncer", str(folder / "pgbouncer.ini")]))
        _wait_port(port, "pgbouncer")
        self.ports["pgbouncer"] = port

    def start_redis(self) -> None:
        port = pg.free_port()
        folder = self.work / "redis"
        folder.mkdir(exist_ok=True)
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", str(folder)]  # fmt: skip
        self._spawn("redis", argv)
        _wait_port(port, "redis")
        self.ports["redis"] = port

    def configure(self) -> None:
        """The production settings' environment for every Django process of the stack."""
        assert self.primary is not None and self.replica is not None
        self.env = {
            "DJANGO_SETTINGS_MODULE": "config.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MINQING_FIELD_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['pgbouncer']}/minqing",
            "MINQING_DB_TRANSACTION_POOLER": "1",
            "DATABASE_REPLICA_URL": self.replica.url(),
            "MINQING_HUEY_REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "MINQING_VAR_DIR": str(self.work / "var"),
            "MINQING_CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/1",
            "MINQING_SENDER_FILE": str(self.work / "sent.jsonl"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MINQING_PUBLIC_RATE_LIMIT": "1000000",
            "MINQING_API_RATE_LIMIT": "1000000",
            "MINQING_PUBLIC_MESSAGE_LIMIT": "1000000",
        }

    def direct_env(self) -> dict[str, str]:
        """The same, straight to the primary (migrations and the demo hold session state)."""
        assert self.primary is not None
        return {
            **os.environ,
            **self.env,
            "DATABASE_URL": self.primary.url(),
            "MINQING_DB_TRANSACTION_POOLER": "0",
        }

    def module(self, name: str, *args: str, direct: bool = False, timeout: float = 3600) -> str:
        """``python -m name args`` in the stack's environment (``direct``: straight to the
        primary); its standard output, or RuntimeError with the end of what it printed."""
        env = self.direct_env() if direct else {**os.environ, **self.env}
        argv = [sys.executable, "-m", name, *args]
        result = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{name} {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def manage(self, *args: str, direct: bool = False) -> str:
        return self.module("minqing.cli", *args, direct=direct)

    def start_web(self, workers: int = 4) -> None:
        port = self.ports.get("web") or pg.free_port()
        argv = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60",
                "--graceful-timeout", "5"]  # fmt: skip
        self._spawn("web", argv)
        _wait_port(port, "gunicorn")
        self.ports["web"] = port

    def start_worker(self) -> None:
        self._spawn(
            "worker", [sys.executable, "-m", "minqing.cli", "run_huey", "--workers", str(HUEY_THREADS)]
        )

    def web_workers(self) -> list[int]:
        """The pids of gunicorn's worker processes (the master's children)."""
        master = self.procs["web"].popen.pid
        out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        for name in ("web", "worker", "pgbouncer", "redis"):
            if name in self.procs:
                self.procs[name].stop()
        for server in (self.replica, self.primary):
            if server is not None:
                server.stop("fast")
