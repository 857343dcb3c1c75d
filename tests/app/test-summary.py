# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts tunescope with the real subset of the dataset, reads the track
# count from the summary and opens the About window from the main menu.

import argparse
import sys

import tsgui

EXPECTED_TRACKS = 25309


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    data = tsgui.real_subset_or_skip()

    app = tsgui.App([args.app, data])
    try:
        try:
            tracks = tsgui.wait_for_track_count(app)
            tsgui.log(f'the summary shows {tracks} tracks')
            if tracks != EXPECTED_TRACKS:
                raise tsgui.Failure(f'expected {EXPECTED_TRACKS} tracks, the summary shows {tracks}')

            tsgui.click(tsgui.main_menu_button(app))
            tsgui.click(app.find('the "About Tunescope" menu item', name='About Tunescope',
                                 role='menu item'))
            tsgui.wait_for('the About window',
                           lambda: ('frame', 'About') in app.windows()
                           and tsgui.find_all(app.root, name='0.1.0'))
            tsgui.log(f'windows: {app.windows()}')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
