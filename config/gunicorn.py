"""gunicorn hooks for ``minqing serve`` and production (``gunicorn -c python:config.gunicorn``).

Each worker starts building the duplicates index (minqing/nlp/duplicates/service.py) in a
background thread as soon as it has loaded the application, so that the first problem page a
clerk opens does not find it still being built; requests are served meanwhile."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    from minqing.nlp.duplicates.service import warm_index

    warm_index()
