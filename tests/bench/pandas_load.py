#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of bench-load: pandas.read_csv on the same file, timed the same
way. Prints one JSON object like bench-load's."""

import json
import os
import resource
import statistics
import sys
import time

import pandas as pd

path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
times = []
rows = 0
for _ in range(repeat):
    start = time.perf_counter()
    frame = pd.read_csv(path)
    times.append((time.perf_counter() - start) * 1000.0)
    rows = len(frame)
    del frame

print(json.dumps({
    "median_ms": round(statistics.median(times), 1),
    "best_ms": round(min(times), 1),
    "rows": rows,
    "file_bytes": os.path.getsize(path),
    "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "pandas": pd.__version__,
}))
