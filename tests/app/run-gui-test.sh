#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-gui-test.sh SCRIPT.py [ARGS...]: runs one GUI test on its own X
# server (Xvfb) and session bus, with the accessibility bus activated on
# demand, fresh XDG folders and in-memory settings. Exit 77 means skipped.
set -u

missing=""
for tool in Xvfb dbus-run-session xdotool; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
# Debian's python3 has pyatspi; a python3 earlier on PATH (pyenv) may not.
/usr/bin/python3 -c 'import pyatspi' >/dev/null 2>&1 || missing="$missing python3-pyatspi"
[ -x /usr/libexec/at-spi-bus-launcher ] || missing="$missing at-spi2-core"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: missing for the GUI tests:$missing"
    exit 1
  fi
  echo "SKIP: missing for the GUI tests:$missing"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"

# The bridge must be on for these tests (test_env turns it off for the others).
unset NO_AT_BRIDGE
export GTK_A11Y=atspi GDK_BACKEND=x11 GSETTINGS_BACKEND=memory
# Cairo draws what GL would: under Xvfb GL is Mesa's llvmpipe, whose
# shaders took half of the app's CPU time in the monkey test, on a 2-core
# machine that also runs the test and AT-SPI.
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
export PYTHONDONTWRITEBYTECODE=1
# The app keeps G_DEBUG=fatal-warnings; Python's bindings do not need it.
export TS_APP_G_DEBUG="${G_DEBUG:-}"
unset G_DEBUG

here=$(dirname "$0")
script="$1"
shift

# Xvfb picks a free display itself and writes its number to fd 3 once it
# accepts connections: no guessing of numbers that another test's server,
# or another session's, may hold.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!
# Wait for the server to be gone: one still shutting down removes the
# socket of the next server that took its display number.
trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
tries=0
while ! grep -q '[0-9]' "$tmp/display" 2>/dev/null; do
  tries=$((tries + 1))
  if [ $tries -gt 200 ] || ! kill -0 $xvfb_pid 2>/dev/null; then
    echo "FAIL: Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1
  fi
  sleep 0.05
done
export DISPLAY=":$(tr -d '[:space:]' < "$tmp/display")"

dbus-run-session -- /usr/bin/python3 "$here/$script" "$@"
status=$?
if [ $status -ne 0 ] && [ $status -ne 77 ]; then
  echo "--- Xvfb on $DISPLAY said:"; cat "$tmp/xvfb.log"
fi
exit $status
