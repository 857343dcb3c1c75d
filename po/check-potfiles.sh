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

# Every listed file must parse, as `ninja tunescope-pot` will run it.
if command -v xgettext >/dev/null 2>&1; then
  pot=$(mktemp)
  if ! xgettext --files-from=po/POTFILES.in --directory=. --output="$pot" --from-code=UTF-8 \
         --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
         --keyword=g_dngettext:2,3 --add-comments=Translators; then
    status=1
  elif ! grep -q 'No Dataset Yet' "$pot"; then
    echo "xgettext found no strings in the UI files"
    status=1
  fi
  rm -f "$pot"
fi
exit $status
