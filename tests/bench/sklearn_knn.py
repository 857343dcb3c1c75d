#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of bench-knn: scikit-learn NearestNeighbors(algorithm='brute',
metric='cosine') over the same min-max-scaled features (13, or 12 where
the file has no popularity), the same query rows and k=10, timed the same way (load and fit not counted).
Usage: sklearn_knn.py FILE [REPEAT] [BATCH]
Prints one JSON object like bench-knn's."""

import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.neighbors import NearestNeighbors

from catalogue_frame import features_frame

K = 10

path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 200
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
frame = features_frame(path)
values = frame.to_numpy()
low, high = values.min(axis=0), values.max(axis=0)
span = np.where(high > low, high - low, 1.0)
data = ((values - low) / span).astype("float32")
n = len(data)

nn = NearestNeighbors(n_neighbors=K, algorithm="brute", metric="cosine").fit(data)
singles = data[[q * n // repeat for q in range(repeat)]]
times = []
for i in range(repeat):
    start = time.perf_counter()
    nn.kneighbors(singles[i:i + 1])
    times.append((time.perf_counter() - start) * 1000.0)

queries = data[[q * n // batch for q in range(batch)]]
batch_times = []
for _ in range(3):
    start = time.perf_counter()
    _, rows = nn.kneighbors(queries)
    batch_times.append((time.perf_counter() - start) * 1000.0)

print(json.dumps({"rows": n, "sklearn": sklearn.__version__,
                  "single_median_ms": round(statistics.median(times), 3),
                  "single_best_ms": round(min(times), 3), "batch": batch,
                  "batch_median_ms": round(statistics.median(batch_times), 1),
                  "row_sum": int(rows.sum())}))
