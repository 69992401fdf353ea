"""``python -m benchmarks.measure CMD ...``: run CMD as this process's only child; print JSON with
its wall time, exit code, output and peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss``)."""

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    t0 = time.perf_counter()
    p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    res = {
        "rc": p.returncode,
        "seconds": seconds,
        "maxrss_kb": rss_kb,
        "out": p.stdout,
        "err": p.stderr[-4000:],
    }
    print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
