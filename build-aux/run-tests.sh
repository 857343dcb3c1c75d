#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up a fresh Debian 12 machine, builds Tunescope and runs the whole
# test suite twice: a normal build, then one under AddressSanitizer and
# UBSan; then each libFuzzer harness of tests/fuzz for a few seconds (its
# committed corpus replayed first). Under CI=true warnings are errors and
# a missing ../shared fails.
set -eu
cd "$(dirname "$0")/.."

build-aux/ensure-deps.sh test

werror=false
[ "${CI:-}" = true ] && werror=true

# Each suite writes meson's testlog.json; the summary below reads both.
run_suite() {
  dir=$1; shift
  setup_args=""
  while [ $# -gt 0 ] && [ "$1" != --no-suite ]; do setup_args="$setup_args $1"; shift; done
  [ -f "$dir/build.ninja" ] || meson setup "$dir" -Dwerror=$werror $setup_args
  meson configure "$dir" -Dwerror=$werror $setup_args >/dev/null
  ninja -C "$dir"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || return 1
}

status=0
run_suite _build || status=1

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
# Optimised (-O2 -g): AddressSanitizer finds the same faults, and the
# suite runs about twice as fast as at -O0, well inside its timeouts.
run_suite _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debugoptimized --no-suite gui || status=1
logs="_build/meson-logs/testlog.json"
if [ -f _build-sanitize/meson-logs/testlog.json ]; then
  mv _build-sanitize/meson-logs/testlog.json _build-sanitize/meson-logs/testlog-nogui.json
fi
logs="$logs _build-sanitize/meson-logs/testlog-nogui.json"

# The GUI suite runs without leak checks: GTK, fontconfig and Mesa keep
# caches until exit, which LeakSanitizer would report as ours. gui-monkey
# turns them on for its app and sorts the leaks itself (test-monkey.py).
if meson test -C _build-sanitize --list --suite gui 2>/dev/null | grep -q .; then
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    meson test -C _build-sanitize --print-errorlogs --suite gui || status=1
  logs="$logs _build-sanitize/meson-logs/testlog.json"
fi

# A short run of every harness, two at a time: the corpus holds every
# input that once broke a parser, so this catches their return; the long
# campaigns are run by hand (build-aux/run-fuzz.sh 1200).
FUZZ_JOBS=2 build-aux/run-fuzz.sh "${TS_FUZZ_SECONDS:-10}" || status=1

/usr/bin/python3 build-aux/test-summary.py $logs || status=1
exit $status
