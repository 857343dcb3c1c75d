#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes tests/fixtures/corr-real-subset.json: the Pearson, Spearman and
Kendall tau-b matrices of the 13 features of ../shared's real subset, by
scipy's pearsonr, spearmanr and kendalltau, pair by pair.

Numbers are parsed with float() (round-trip exact, like our parser) rather
than pandas' fast float reader. Run from the project root:
    /usr/bin/python3 tests/reference/make_corr_reference.py
"""

import csv
import json
import math
import os
import sys

import scipy
from scipy import stats

FEATURES = ["valence", "year", "acousticness", "danceability", "duration_ms", "energy",
            "instrumentalness", "key", "liveness", "loudness", "popularity", "speechiness",
            "tempo"]
METHODS = {
    "pearson": lambda x, y: stats.pearsonr(x, y)[0],
    "spearman": lambda x, y: stats.spearmanr(x, y)[0],
    "kendall": lambda x, y: stats.kendalltau(x, y, variant="b")[0],
}


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "..", "shared", "data", "spotify", "real-subset", "data.csv")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "tests", "fixtures", "corr-real-subset.json")

    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = [[float(r[name]) for r in rows] for name in FEATURES]

    result = {"source": "real-subset/data.csv", "scipy": scipy.__version__,
              "n": len(rows), "features": FEATURES}
    for method, func in METHODS.items():
        matrix = [[1.0] * len(FEATURES) for _ in FEATURES]
        for a in range(len(FEATURES)):
            for b in range(a + 1, len(FEATURES)):
                r = float(func(columns[a], columns[b]))
                assert not math.isnan(r), (method, FEATURES[a], FEATURES[b])
                matrix[a][b] = matrix[b][a] = r
        result[method] = matrix

    # One matrix row per line keeps the fixture small and its diffs readable.
    lines = []
    for key, value in result.items():
        if key in METHODS:
            body = ",\n  ".join(json.dumps(row) for row in value)
            lines.append(f' "{key}": [\n  {body}\n ]')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    main()
