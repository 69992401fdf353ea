"""``make prod-check``: the production stack on one machine, on loopback ports (docs/deploy.md).

A PostgreSQL primary and a streaming replica made from it, PgBouncer in transaction pooling in
front of the primary, Redis for the job queue, the huey worker, and gunicorn with the production
settings; migrate, the seed demo, ``check --deploy``, a smoke test and the fault test; a summary
in ``benchmarks/results/prod_check.{json,md}``; everything it started is stopped at the end.
"""
