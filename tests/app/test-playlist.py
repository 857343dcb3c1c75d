# SPDX-License-Identifier: GPL-3.0-or-later
#
# Opens the Playlist page on the five-song tracks.csv, imports an M3U
# (EXTINF lines, Spotify links, a song known only by artist and title, a
# duplicate and a junk line) through the Import button and the file
# chooser, reads the match report and the junk line's number, asks for
# recommendations, and saves the playlist as M3U8 through the chooser,
# then reads the file written. TS_SCREENSHOT_DIR (optional) receives
# screenshots of the page along the way.

import argparse
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

import tsgui

# What tests/app/playlist.m3u holds against tests/app/tracks.csv.
REPORT = '3 matched · 0 ambiguous · 1 unmatched · 1 duplicate removed'
JUNK = 'this line is junk, not a song'
JUNK_LINE = 'Line 11 · not in the dataset'
SONG_IDS = ['4u7EnebtmKWzUH433cf5Qv', '7o2CTH4ctstm8TNelqjb51', '0VjIjW4GlUZAMYd2vXMi3b']
# tracks.csv has five songs: two are left to recommend.
RECOMMENDED = 2


def xdotool(*args):
    result = subprocess.run(['xdotool', *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise tsgui.Failure(f'xdotool {" ".join(map(str, args))}: {result.stderr.strip()}')
    return result.stdout.strip()


def screenshot(name):
    folder = os.environ.get('TS_SCREENSHOT_DIR')
    if folder:
        time.sleep(0.8)
        subprocess.run(['import', '-window', 'root', os.path.join(folder, name + '.png')],
                       check=False)


def clickable(app, name, timeout=tsgui.DEFAULT_TIMEOUT):
    def look():
        app.check_alive()
        found = [node for node in tsgui.find_all(app.root, name=name)
                 if 'click' in tsgui.actions(node)]
        return found or None
    return tsgui.wait_for(f'something named "{name}" to click', look, timeout)[0]


def wait_for_window(app, title):
    """A dialog of the app (the file chooser), by its title."""
    def look():
        app.check_alive()
        return [w for w in app.root if w is not None and w.name == title]
    return tsgui.wait_for(f'the window "{title}"', look)[0]


def type_path_in_chooser(app, title, path, replace_name=False):
    """Types PATH into GTK's file chooser and confirms, as a person who
    knows where the file is does."""
    wait_for_window(app, title)
    time.sleep(1.0)
    if replace_name:
        # The Save chooser's name entry has the focus, its name selected.
        xdotool('key', 'ctrl+a')
    xdotool('type', '--delay', '20', path)
    time.sleep(0.5)
    xdotool('key', 'Return')

    def closed():
        app.check_alive()
        return not [w for w in app.root if w is not None and w.name == title]
    tsgui.wait_for(f'the chooser "{title}" to close', closed)


def import_playlist(app, path):
    tsgui.click(clickable(app, 'Import Playlist…'))
    type_path_in_chooser(app, 'Import a Playlist', path)
    report = app.find('the match report', name=REPORT, role='label')
    tsgui.log(f'report: {report.name}')


def on_screen(node):
    """Whether NODE takes room: GTK 4.8 does not update STATE_SHOWING, but a
    collapsed row's labels have no size."""
    _, _, width, height = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return width > 0 and height > 0


def window_origin(title):
    """Where the X window titled TITLE sits on the screen."""
    def look():
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                             capture_output=True, text=True).stdout.split()
        return out[0] if out else None
    window = tsgui.wait_for(f'the X window "{title}"', look)
    values = dict(line.split('=', 1) for line in
                  xdotool('getwindowgeometry', '--shell', window).splitlines())
    return int(values['X']), int(values['Y'])


def click_on(node):
    """A real pointer click in the middle of NODE. GTK under X11 reports
    extents in window coordinates only."""
    x, y, width, height = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    wx, wy = window_origin('Tunescope')
    xdotool('mousemove', wx + x + width // 2, wy + y + height // 2)
    time.sleep(0.2)
    xdotool('click', '1')


def check_unmatched_line(app):
    """The report expands to the junk line, with its line number."""
    title = app.find('the report title', name='Imported “playlist.m3u”', role='label')
    junk = app.find('the junk line', name=JUNK, role='label')
    line = app.find('its line number', name=JUNK_LINE, role='label')
    if on_screen(junk):
        raise tsgui.Failure('the report is open before it is asked to')
    click_on(title)
    tsgui.wait_for('the report to expand', lambda: on_screen(junk) and on_screen(line))
    tsgui.log(f'unmatched: {JUNK!r} ({JUNK_LINE})')


def get_recommendations(app):
    tsgui.click(clickable(app, 'Recommendations'))
    status = f'{RECOMMENDED} songs like this playlist'
    app.find('the recommendations', name=status, role='label', timeout=60)
    tsgui.log(status)


def export_m3u8(app, out_dir):
    path = os.path.join(out_dir, 'road-trip.m3u8')
    tsgui.click(clickable(app, 'Songs'))
    tsgui.click(clickable(app, 'Export the Playlist'))
    item = app.find('the M3U8 item', name='Save as M3U8…', role='menu item')
    tsgui.click(item)
    type_path_in_chooser(app, 'Save as M3U8', path, replace_name=True)
    app.find('the saved toast', name='Saved “road-trip.m3u8”', role='label')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    tsgui.log(f'wrote {len(text)} bytes')
    lines = text.splitlines()
    if not lines or lines[0] != '#EXTM3U':
        raise tsgui.Failure(f'not an M3U8: {lines[:2]}')
    links = [line for line in lines if line.startswith('https://open.spotify.com/track/')]
    want = ['https://open.spotify.com/track/' + i for i in SONG_IDS]
    if links != want:
        raise tsgui.Failure(f'the saved links {links}, expected {want}')
    extinf = [line for line in lines if line.startswith('#EXTINF:')]
    if len(extinf) != len(SONG_IDS) or 'Queen - Bohemian Rhapsody' not in extinf[0]:
        raise tsgui.Failure(f'the EXTINF lines: {extinf}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--csv', required=True)
    parser.add_argument('--playlist', required=True)
    args = parser.parse_args()

    out_dir = tempfile.mkdtemp(prefix='ts-playlist-test-')
    env = dict(os.environ)
    # Nothing listens on port 9 here: every cover fails, quietly.
    env['TUNESCOPE_OEMBED_URL'] = 'http://127.0.0.1:9/oembed'

    app = tsgui.App([args.app, args.csv], env=env)
    try:
        try:
            tsgui.wait_for_track_count(app)
            tsgui.click(clickable(app, 'Playlist'))
            app.find('the empty state', name='Build a Playlist')
            screenshot('playlist-empty')

            import_playlist(app, os.path.abspath(args.playlist))
            app.find('the song count', name='3 songs', role='label')
            app.find('the name from #PLAYLIST', name='Road Trip', role='label')
            check_unmatched_line(app)
            screenshot('playlist-songs')

            get_recommendations(app)
            screenshot('playlist-recommendations')

            export_m3u8(app, out_dir)
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()
        for name in os.listdir(out_dir):
            os.unlink(os.path.join(out_dir, name))
        os.rmdir(out_dir)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
