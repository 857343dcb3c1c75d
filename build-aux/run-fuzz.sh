#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer harnesses of tests/fuzz with clang (in _build-fuzz,
# -Dfuzzing=true) and runs each for SECONDS (default 30) on a copy of its
# corpus, tests/fuzz/corpus/NAME, with tests/fuzz/NAME.dict. Limits: 1 s
# an input, 512 MiB. The committed corpus holds the inputs of every bug
# found so far (crash-*, leak-*, timeout-*, oom-*), replayed first.
#
# The 1 s is measured on the input alone: libFuzzer's own alarm counts
# wall-clock time, which on a busy 2-core machine (CI, two harnesses at
# once) passes 1 s for inputs that take 10 ms. So the alarm is set at
# 10 s, an input slower than 1 s is kept (slow-unit-*), and it counts as
# found only if it is still slower than 1 s when run again on its own.
# Such an input is reported, but fails the run only with FUZZ_STRICT_SLOW=1
# (the campaigns): a small GIF that claims 13 Mpx is a legal image whose
# decode takes over 1 s under the sanitizers, which the short CI runs must
# not fail on by chance.
#
# Prints a line per harness (executions, libFuzzer's cov: and ft:, and
# what it found) and exits non-zero if any harness found anything; what
# it found is in _build-fuzz/fuzz/NAME/ (the log and the input).
#
# Usage: build-aux/run-fuzz.sh [SECONDS]
# FUZZ_JOBS=N runs N harnesses at once (default 1); FUZZ_HARNESSES="a b"
# runs only those.
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-30}
jobs=${FUZZ_JOBS:-1}
build=_build-fuzz
work=$build/fuzz

build-aux/ensure-deps.sh fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=$(command -v clang-14 || command -v clang) meson setup "$build" -Dfuzzing=true \
    -Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$build"

harnesses=${FUZZ_HARNESSES:-$(ls tests/fuzz/corpus)}

# LeakSanitizer knows the suite's suppressions (OpenBLAS's threads, …).
# ASan keeps freed memory aside for 256 MiB by default, which with the
# harness's own use would pass the 512 MiB limit: a smaller quarantine
# still catches a use after free within the same input.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=64
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan-suppressions.txt:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# One harness, in the background of the caller: its own copy of the
# corpus, its log and any input that broke it in $work/NAME.
run_one() {
  name=$1
  dir=$work/$name
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/found"
  cp tests/fuzz/corpus/"$name"/* "$dir/corpus/"
  dict=""
  [ -f tests/fuzz/"$name".dict ] && dict="-dict=tests/fuzz/$name.dict"
  status=0
  "$build/tests/fuzz/fuzz-$name" $dict -max_total_time="$seconds" -rss_limit_mb=512 \
    -timeout=10 -report_slow_units=1 -print_final_stats=1 -artifact_prefix="$dir/found/" \
    "$dir/corpus" >"$dir/log" 2>&1 || status=$?
  echo "$status" >"$dir/status"
  recheck_slow_units "$name"
}

# Runs each slow-unit-* of harness $1 alone, three times; one that takes
# 1 s or less at least once was slow only for the load, and is set aside
# in found/under-load/.
recheck_slow_units() {
  dir=$work/$1
  for unit in "$dir"/found/slow-unit-*; do
    [ -e "$unit" ] || continue
    fastest=$(for try in 1 2 3; do
      /usr/bin/time -f %e "$build/tests/fuzz/fuzz-$1" "$unit" 2>&1 >/dev/null | tail -n 1
    done | sort -n | head -n 1)
    if awk -v t="$fastest" 'BEGIN { exit !(t <= 1.0) }'; then
      mkdir -p "$dir/found/under-load"
      mv "$unit" "$dir/found/under-load/"
      echo "$(basename "$unit"): $fastest s alone" >>"$dir/found/under-load/times"
    fi
  done
}

# Executions, cov: and ft: from libFuzzer's last report, and the verdict.
report_one() {
  name=$1
  dir=$work/$name
  status=$(cat "$dir/status")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -n 1 | cut -d' ' -f2)
  found=$(ls -p "$dir/found" 2>/dev/null | grep -v / | head -n 1)
  slow=$(ls -p "$dir/found" 2>/dev/null | grep -c '^slow-unit-' || true)
  if [ "$status" -eq 0 ] && [ -z "$found" ]; then
    verdict="nothing found"
  elif [ "$status" -eq 0 ] && [ "$slow" -gt 0 ] && [ "${FUZZ_STRICT_SLOW:-0}" != 1 ] &&
       [ "$(ls "$dir/found" | grep -v -c -e '^slow-unit-' -e '^under-load$')" -eq 0 ]; then
    verdict="$slow input(s) over 1 s alone (slow, not failing; see $dir/found)"
  else
    verdict="FOUND ${found:-a failure (exit $status)}; see $dir/log"
    failed=1
  fi
  printf '%-12s %12s execs  cov %6s  ft %7s  %s\n' "$name" "${execs:-?}" "${cov:-?}" \
    "${ft:-?}" "$verdict"
}

mkdir -p "$work"
set -- $harnesses
while [ $# -gt 0 ]; do
  batch=""
  n=0
  while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
    run_one "$1" &
    batch="$batch $1"
    n=$((n + 1))
    shift
  done
  wait
  for name in $batch; do
    echo "fuzz: $name done" >&2
  done
done

failed=0
echo "fuzz: $seconds s each"
for name in $harnesses; do
  report_one "$name"
done
exit $failed
