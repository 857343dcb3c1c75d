# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts tunescope without a dataset, drags a CSV from another GTK window
# onto the first-run page with a real XDND drag (xdotool drives the
# pointer), and checks that the summary shows that dataset.

import argparse
import subprocess
import sys

import tsgui

EXPECTED_TRACKS = 5


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
            source, target = tsgui.place_drag_source()

            tracks = None
            for attempt in range(1, 4):
                tsgui.log(f'drag {attempt}: from {source} to {target}')
                tsgui.drag(source, target)
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
