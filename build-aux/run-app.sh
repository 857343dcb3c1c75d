#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up a fresh Debian 12 machine, builds Tunescope and runs it from the
# build folder. Arguments go to the app (e.g. a data.csv to open).
set -eu
cd "$(dirname "$0")/.."

build-aux/ensure-deps.sh app
[ -f _build/build.ninja ] || meson setup _build -Ddevelopment=true
ninja -C _build

# Run uninstalled: the compiled schema and the icons come from the tree.
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
export XDG_DATA_DIRS="$PWD/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
exec _build/src/app/tunescope "$@"
