#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up a fresh Debian 12 machine, builds Tunescope and runs the whole
# test suite twice: a normal build, then one under AddressSanitizer and
# UBSan. Under CI=true warnings are errors and a missing ../shared fails.
set -eu
cd "$(dirname "$0")/.."

build-aux/ensure-deps.sh test

werror=false
[ "${CI:-}" = true ] && werror=true

# Each suite writes meson's testlog.json; the summary below reads both.
run_suite() {
  dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" -Dwerror=$werror "$@"
  meson configure "$dir" -Dwerror=$werror >/dev/null
  ninja -C "$dir"
  meson test -C "$dir" --print-errorlogs --num-processes 2 || return 1
}

status=0
run_suite _build || status=1

# Leak checking stays off: GTK, fontconfig and Mesa keep caches to exit,
# which LeakSanitizer reports as leaks of ours.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_suite _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debug || status=1

/usr/bin/python3 build-aux/test-summary.py _build _build-sanitize || status=1
exit $status
