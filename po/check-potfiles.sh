#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a source, UI or data file with translatable strings is missing
# from po/POTFILES.in (its strings would never reach translators).
set -eu
cd "$1"
status=0
for f in $(grep -lE '\b(N?C?_|g_dngettext|ngettext)\s*\(' src/app/*.c 2>/dev/null) \
         $(grep -l 'translatable="yes"' ui/*.ui 2>/dev/null) \
         data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml; do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "po/POTFILES.in lacks $f"
    status=1
  fi
done
exit $status
