"""``python -m benchmarks.run``: every benchmark of the project (organisation network, ledger, activities,
bulletins, the upload probe, category suggestion, the unit gazetteer)."""

import subprocess
import sys

from benchmarks import activities_bench, ledger_bench, nlp_category, orgs_bench, reports_bench, upload_probe

if __name__ == "__main__":
    orgs_bench.main()
    ledger_bench.main([])
    activities_bench.main([])
    reports_bench.main([])
    upload_probe.main([])
    nlp_category.main()
    # its own interpreter: it sets up Django on a database of its own
    subprocess.run([sys.executable, "-m", "benchmarks.nlp_units"], check=True)
