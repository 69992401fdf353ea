"""``python -m benchmarks.run``: every benchmark of the project (organisation network, ledger, activities,
bulletins)."""

from benchmarks import activities_bench, ledger_bench, orgs_bench, reports_bench

if __name__ == "__main__":
    orgs_bench.main()
    ledger_bench.main([])
    activities_bench.main([])
    reports_bench.main([])
