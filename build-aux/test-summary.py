#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints one closing line for the runs of meson test whose testlog.json
files are given: 'tests: N passed, N failed, N skipped'. Exits 1 when a
log is missing or a test failed.

Before it, each failed test is named with the end of its output: CI shows
only the end of what the run printed, and meson's own error logs scroll
far above it (the fuzz runs come after the suites)."""

import json
import os
import sys

TAIL_LINES = 30

passed = failed = skipped = 0
failures = []
for log in sys.argv[1:]:
    if not os.path.exists(log):
        print(f"{log}: no test log", file=sys.stderr)
        failed += 1
        continue
    with open(log, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            result = entry["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
                failures.append((log, entry))

for log, entry in failures:
    build = log.split("/")[0]
    print(f"FAILED {entry['name']} ({build}): {entry['result']} "
          f"after {entry.get('duration', 0):.0f} s")
    output = (entry.get("stdout") or "") + (entry.get("stderr") or "")
    for text in output.rstrip().splitlines()[-TAIL_LINES:]:
        print(f"  | {text}")

print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
