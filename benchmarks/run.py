"""``python -m benchmarks.run``: every benchmark of the project (organisation network, ledger, activities,
bulletins, the upload probe, category suggestion)."""

from benchmarks import activities_bench, ledger_bench, nlp_category, orgs_bench, reports_bench, upload_probe

if __name__ == "__main__":
    orgs_bench.main()
    ledger_bench.main([])
    activities_bench.main([])
    reports_bench.main([])
    upload_probe.main([])
    nlp_category.main()
