#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints one closing line for the runs of meson test whose testlog.json
files are given: 'tests: N passed, N failed, N skipped'. Exits 1 when a
log is missing or a test failed."""

import json
import os
import sys

passed = failed = skipped = 0
for log in sys.argv[1:]:
    if not os.path.exists(log):
        print(f"{log}: no test log", file=sys.stderr)
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
