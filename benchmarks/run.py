"""``python -m benchmarks.run``: every benchmark of the project (organisation network, ledger)."""

from benchmarks import ledger_bench, orgs_bench

if __name__ == "__main__":
    orgs_bench.main()
    ledger_bench.main([])
