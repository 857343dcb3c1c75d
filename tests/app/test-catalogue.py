# SPDX-License-Identifier: GPL-3.0-or-later
#
# The 1.2M-song catalogue (tracks_features.csv, no popularity, albums),
# generated full size from the real rows by tests/data/make-catalogue.py:
# opens it, searches as a person types on Discover, asks for songs like
# one, keeps one song per album (and back), then shows the map of every song with the
# query and its results, zooms it from the keyboard and hovers it. The
# popularity slider is nowhere, since the file has none. With
# TS_SCREENSHOT_DIR set, saves the screens along the way.

import argparse
import os
import re
import subprocess
import sys
import time

import pyatspi

import tsgui

QUERY = 'Bohemian Rhapsody'
ROWS = 1204025




def catalogue_or_skip():
    """The generated file, made once per build folder (a minute)."""
    real = tsgui.real_subset_or_skip()
    shared = os.path.dirname(os.path.dirname(real))
    out = os.path.join(os.environ['TS_BUILD_ROOT'], 'catalogues', '1.2m')
    script = os.path.join(os.environ['TS_SOURCE_ROOT'], 'tests', 'data', 'make-catalogue.py')
    start = time.monotonic()
    subprocess.run([sys.executable, script, '--schema', '1.2m', '--out', out,
                    '--shared', shared], check=True)
    tsgui.log(f'the catalogue is ready after {time.monotonic() - start:.0f} s')
    return os.path.join(out, 'tracks_features.csv')


def click_on(node):
    """Clicks the middle of NODE with the pointer (GTK 4.8 cannot grab focus
    through AT-SPI; extents are relative to the window)."""
    x, y, width, height = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    window = tsgui.xdotool('search', '--sync', '--onlyvisible', '--name', '^Tunescope$').split()[0]
    tsgui.xdotool('mousemove', '--window', window, x + width // 2, y + height // 2, 'click', 1)
    time.sleep(0.3)




def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    data = catalogue_or_skip()
    app = tsgui.App([args.app, data], env=tsgui.env_without_covers())
    try:
        n = tsgui.wait_for_track_count(app, timeout=120)
        if n != ROWS:
            raise tsgui.Failure(f'{n} tracks, not {ROWS}')
        tsgui.screenshot('catalogue-summary')

        tsgui.click(tsgui.clickable(app, 'Discover'))
        app.find('the search entry', name='Search songs and artists')
        time.sleep(0.5)
        tsgui.xdotool('type', '--delay', '60', QUERY)
        app.find('a suggestion', name=QUERY, role='label')
        tsgui.xdotool('key', 'Return')
        status = app.find('the query in the status', pattern=f'^Songs like “{QUERY}', timeout=60)
        tsgui.log(status.name)
        titles = tsgui.wait_for('the results', lambda: tsgui.result_titles(app) or None)
        tsgui.log(f'{len(titles)} rows: {titles[:5]}')

        # One song per album: another list, its nearest song still first.
        tsgui.click(tsgui.clickable(app, 'One per Album'))
        per_album = tsgui.wait_for('one song per album', lambda: (
            tsgui.result_titles(app) if tsgui.result_titles(app) not in ([], titles) else None))
        tsgui.log(f'one per album: {per_album[:5]}')
        if per_album[0] != titles[0]:
            raise tsgui.Failure(f'the nearest song changed: {titles[0]!r} -> {per_album[0]!r}')
        tsgui.click(tsgui.clickable(app, 'One per Album'))

        # No slider steers by a popularity the file does not have.
        tsgui.click(tsgui.clickable(app, 'Steer'))
        app.find('the energy slider', name='Energy', role='slider')
        if tsgui.find_all(app.root, name='Popularity', role='slider'):
            raise tsgui.Failure('a popularity slider, on a file without popularity')
        tsgui.click(tsgui.clickable(app, 'Steer'))
        tsgui.screenshot('catalogue-discover')

        tsgui.click(tsgui.clickable(app, 'Map'))
        text = tsgui.map_description(app, r'highlighted', timeout=120)
        tsgui.log(f'map: {text}')
        if not re.search(r'Map of [\d\s.,\u00a0\u202f]+ songs', text) or \
                tsgui.parse_count(re.search(r'Map of ([\d\s.,\u00a0\u202f]+) songs', text)[1]) != ROWS:
            raise tsgui.Failure(f'the map does not cover the {ROWS} songs: {text!r}')
        time.sleep(0.5)
        tsgui.screenshot('catalogue-map')

        # Zoom from the keyboard, then hover: the app answers throughout.
        click_on(app.find('the map', name='Embedding map'))
        for key in ('plus', 'plus', 'plus', 'minus'):
            tsgui.xdotool('key', key)
            time.sleep(0.3)
            app.check_alive()
        tsgui.xdotool('mousemove_relative', '--', '15', '10')
        time.sleep(1.0)
        app.check_alive()
        tsgui.screenshot('catalogue-map-zoomed')
        tsgui.xdotool('key', '0')

        tsgui.click(tsgui.clickable(app, 'List'))
        app.find('the results list again', name='Similar songs')
        if os.environ.get('TS_SCREENSHOT_DIR'):
            tsgui.xdotool('search', '--onlyvisible', '--name', '^Tunescope$', 'windowsize', '%@',
                          '400', '700')
            tsgui.screenshot('catalogue-narrow', settle=1.0)
    except tsgui.Failure:
        app.dump()
        raise
    finally:
        app.stop()


if __name__ == '__main__':
    raise SystemExit(tsgui.run(main))
