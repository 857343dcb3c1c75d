#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian 12 packages Tunescope needs that are missing, then
# makes sure the de_DE.UTF-8 locale exists (a test loads data under a
# decimal-comma locale). Usage: build-aux/ensure-deps.sh app|test|bench|fuzz
set -eu

BUILD="meson ninja-build pkg-config gcc libc6-dev gettext desktop-file-utils appstream
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libcsv-dev libopenblas-dev
  libcurl4-gnutls-dev libjson-glib-dev libturbojpeg0-dev libjpeg62-turbo-dev libsecret-1-dev
  libarchive-dev libgdk-pixbuf-2.0-dev libcairo2-dev libwebp-dev"
RUN="adwaita-icon-theme hicolor-icon-theme fonts-cantarell gsettings-desktop-schemas
  librsvg2-common ca-certificates"
TEST="xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-pyatspi python3-dogtail xdotool
  imagemagick flatpak-builder locales python3-scipy"
BENCH="python3-pandas python3-scipy python3-torch python3-pil python3-sklearn time"
# libFuzzer and the sanitizers' runtimes come with Debian's clang.
FUZZ="clang-14 libclang-rt-14-dev time"

case "${1:-test}" in
  app) wanted="$BUILD $RUN" ;;
  test) wanted="$BUILD $RUN $TEST" ;;
  bench) wanted="$BUILD $RUN $BENCH" ;;
  fuzz) wanted="$BUILD $FUZZ" ;;
  *) echo "usage: $0 app|test|bench|fuzz" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
  esac
done

if [ -n "$missing" ]; then
  echo "ensure-deps: installing$missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if [ "${1:-test}" = test ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  echo "ensure-deps: generating the de_DE.UTF-8 locale"
  as_root sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
  as_root locale-gen >/dev/null
fi
