"""``minqing serve``: the web server (gunicorn) and the job worker (``minqing run_huey``) as one
command, as ``make run`` starts them; Ctrl-C stops both, and when one exits the other is stopped
(minqing/core/supervise.py). Production runs them as two services instead (docs/running.md)."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minqing.core.supervise import Child, Supervisor


def children(*, host: str, port: int, workers: int, timeout: int) -> list[Child]:
    web = ["-m", "gunicorn", "config.wsgi", "-c", "python:config.gunicorn"]
    web += ["--bind", f"{host}:{port}", "--workers", str(workers)]
    web += ["--timeout", str(timeout), "--access-logfile", "-", "--no-control-socket"]
    return [
        Child("web", [sys.executable, *web]),
        Child("worker", [sys.executable, "-m", "minqing.cli", "run_huey"]),
    ]


class Command(BaseCommand):
    help = (
        "同时运行网页服务(gunicorn)与后台任务进程(run_huey),Ctrl-C 一并停止 / "
        "Run the web server (gunicorn) and the job worker (run_huey) together; Ctrl-C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 / address to bind")
        parser.add_argument("--port", type=int, default=8000, help="端口 / port")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数 / gunicorn workers")
        parser.add_argument("--timeout", type=int, default=300, help="请求超时秒数 / request timeout (s)")
        parser.add_argument(
            "--grace", type=float, default=15.0, help="停止时等待秒数 / seconds to wait before killing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.HUEY.get("immediate"):
            self.stderr.write(
                "MINQING_HUEY_IMMEDIATE 已开启:任务在网页进程内执行,后台进程无事可做 / "
                "MINQING_HUEY_IMMEDIATE is on: tasks run inside the web process, the worker idles."
            )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        supervisor = Supervisor(
            children(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                timeout=options["timeout"],
            ),
            env=env,
            cwd=settings.BASE_DIR,
            grace=options["grace"],
            log=sys.stderr,
        )
        outcome = supervisor.run()
        if outcome.exit_code:
            raise CommandError(
                f"{outcome.first_exit} 意外退出,已停止全部进程 / exited unexpectedly, every process stopped",
                returncode=outcome.exit_code,
            )
