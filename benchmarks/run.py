"""``python -m benchmarks.run``: every benchmark of the project (for now, the organisation network)."""

from benchmarks import orgs_bench

if __name__ == "__main__":
    orgs_bench.main()
