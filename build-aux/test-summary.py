#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints one closing line for the runs of meson test in the given build
folders: 'tests: N passed, N failed, N skipped'. Exits 1 when a run is
missing or failed."""

import json
import os
import sys

passed = failed = skipped = 0
for build in sys.argv[1:]:
    log = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        print(f"{build}: no test log", file=sys.stderr)
        failed += 1
        continue
    with open(log, encoding="utf-8") as f:
        for line in f:
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1

print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
