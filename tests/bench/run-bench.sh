#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Measures Tunescope against its Python peers in one run and prints the
# README's benchmark rows. Needs ../shared/data/spotify.
# Usage: tests/bench/run-bench.sh [REPEAT]
set -eu
cd "$(dirname "$0")/../.."

build-aux/ensure-deps.sh bench
[ -f _build-bench/build.ninja ] || meson setup _build-bench -Dbuildtype=release -Dgui_tests=false
ninja -C _build-bench tests/bench/bench-load

repeat=${1:-7}
data=../shared/data/spotify/synthetic/data-170k.csv
[ -f "$data" ] || { echo "run-bench: $data is missing" >&2; exit 1; }

ours=$(_build-bench/tests/bench/bench-load "$data" --repeat "$repeat")
ours_rss=$(_build-bench/tests/bench/bench-load "$data" --repeat 1)
peer=$(/usr/bin/python3 tests/bench/pandas_load.py "$data" "$repeat")

/usr/bin/python3 - "$ours" "$ours_rss" "$peer" <<'PY'
import json, sys
ours, ours_rss, peer = (json.loads(a) for a in sys.argv[1:4])
assert ours["rows"] == peer["rows"], (ours["rows"], peer["rows"])
ratio = peer["median_ms"] / ours["median_ms"]
rss_ratio = ours_rss["peak_rss_kib"] * 1024 / ours["file_bytes"]
print(f"load data-170k.csv ({ours['rows']} rows, {ours['file_bytes'] / 1e6:.1f} MB)")
print(f"  tunescope: {ours['median_ms']} ms median (best {ours['best_ms']} ms), "
      f"peak RSS {ours_rss['peak_rss_kib'] / 1024:.1f} MiB = {rss_ratio:.2f}x the file")
print(f"  pandas {peer['pandas']} read_csv: {peer['median_ms']} ms median (best {peer['best_ms']} ms)")
print(f"  speed-up: {ratio:.1f}x (target >= 5x); RSS {rss_ratio:.2f}x file (target <= 3x)")
print()
print("| benchmark | Tunescope | peer | ratio | target |")
print("|---|---|---|---|---|")
print(f"| load 170k rows (synthetic data-170k.csv) | {ours['median_ms']:.0f} ms | "
      f"pandas.read_csv {peer['median_ms']:.0f} ms | {ratio:.1f}x faster | >= 5x |")
print(f"| peak RSS of that load | {ours_rss['peak_rss_kib'] / 1024:.0f} MiB | file "
      f"{ours['file_bytes'] / 2**20:.0f} MiB | {rss_ratio:.2f}x the file | <= 3x |")
PY
