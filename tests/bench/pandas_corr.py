#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of bench-corr: pandas DataFrame.corr(method=...) over the same
features of the same file (catalogue_frame.py), timed the same way (load not counted).
Usage: pandas_corr.py FILE [REPEAT] [KENDALL_REPEAT]
Prints one JSON object like bench-corr's."""

import json
import statistics
import sys
import time

import pandas as pd

from catalogue_frame import features_frame


path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
# Kendall takes seconds a matrix; fewer runs keep the bench short.
kendall_repeat = int(sys.argv[3]) if len(sys.argv) > 3 else min(repeat, 3)
frame = features_frame(path)

result = {"rows": len(frame), "pandas": pd.__version__}
for method in ("pearson", "spearman", "kendall"):
    times = []
    for _ in range(kendall_repeat if method == "kendall" else repeat):
        start = time.perf_counter()
        frame.corr(method=method)
        times.append((time.perf_counter() - start) * 1000.0)
    result[method] = {"median_ms": round(statistics.median(times), 1),
                      "best_ms": round(min(times), 1)}
print(json.dumps(result))
