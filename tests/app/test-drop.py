# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts tunescope without a dataset, drags a CSV from another GTK window
# onto the first-run page with a real XDND drag (xdotool drives the
# pointer), and checks that the summary shows that dataset.

import argparse
import subprocess
import sys
import time

import tsgui

EXPECTED_TRACKS = 5


def xdotool(*args):
    result = subprocess.run(['xdotool', *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise tsgui.Failure(f'xdotool {" ".join(map(str, args))}: {result.stderr.strip()}')
    return result.stdout.strip()


def x_window(title):
    """The visible X window titled TITLE."""
    def look():
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                             capture_output=True, text=True).stdout.split()
        return out[0] if out else None
    return tsgui.wait_for(f'the X window "{title}"', look)


def geometry(window):
    """(x, y, width, height) of an X window."""
    values = dict(line.split('=', 1) for line in
                  xdotool('getwindowgeometry', '--shell', window).splitlines())
    return tuple(int(values[key]) for key in ('X', 'Y', 'WIDTH', 'HEIGHT'))


def drag(source, target, steps=12):
    """Presses on SOURCE, moves in small steps to TARGET and releases there,
    as a hand on a mouse does (GTK starts a drag after a few pixels)."""
    (x0, y0), (x1, y1) = source, target
    xdotool('mousemove', x0, y0)
    time.sleep(0.3)
    xdotool('mousedown', 1)
    time.sleep(0.2)
    for i in range(1, steps + 1):
        xdotool('mousemove', x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps)
        time.sleep(0.1)
    # Linger, so that the target answers XdndPosition before the drop.
    xdotool('mousemove', x1 + 3, y1 + 3)
    time.sleep(0.5)
    xdotool('mouseup', 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--drag-source', required=True)
    parser.add_argument('--csv', required=True)
    args = parser.parse_args()

    app = tsgui.App([args.app])
    helper = None
    try:
        try:
            app.find('the first-run page', name='No Dataset Yet')
            app.find('the Kaggle download button', name='Download from Kaggle',
                     role='push button')
            tsgui.log('the first-run page is up')

            helper = subprocess.Popen([args.drag_source, args.csv])
            source_window = x_window('Drag Source')
            target_window = x_window('Tunescope')
            # Without a window manager both windows sit at 0,0: put them side by side.
            xdotool('windowmove', target_window, 0, 0)
            xdotool('windowmove', source_window, 960, 100)
            tsgui.wait_for('the drag source to move',
                           lambda: geometry(source_window)[0] >= 960)
            sx, sy, sw, sh = geometry(source_window)
            tx, ty, tw, th = geometry(target_window)

            tracks = None
            for attempt in range(1, 4):
                tsgui.log(f'drag {attempt}: from ({sx + sw // 2}, {sy + sh // 2}) '
                          f'to ({tx + tw // 2}, {ty + th // 2})')
                drag((sx + sw // 2, sy + sh // 2), (tx + tw // 2, ty + th // 2))
                try:
                    tracks = tsgui.wait_for_track_count(app, timeout=15)
                    break
                except tsgui.Failure as error:
                    tsgui.log(f'no summary after drag {attempt}: {error}')
            if tracks is None:
                raise tsgui.Failure('the dropped file never showed a summary')
            tsgui.log(f'the summary shows {tracks} tracks')
            if tracks != EXPECTED_TRACKS:
                raise tsgui.Failure(f'expected {EXPECTED_TRACKS} tracks, the summary shows {tracks}')
            tsgui.find_all(app.root, name='tracks.csv') or tsgui.log('(file name not shown?)')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        if helper is not None:
            helper.kill()
            helper.wait()
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
