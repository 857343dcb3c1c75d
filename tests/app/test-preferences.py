# SPDX-License-Identifier: GPL-3.0-or-later
#
# Opens Preferences from the main menu: the Spotify and Album Art groups
# are there; without a secret service (the test session has none) the
# "no keyring" row explains it instead of a crash; a new cache size limit
# is still there when the window is opened again.

import argparse
import sys

import pyatspi

import tsgui

NEW_CACHE_SIZE = 512
CACHE_SIZE_TITLE = 'Cache Size Limit (MiB)'


def main_menu_button(app):
    # GtkMenuButton shows as a push button holding the clickable one.
    def look():
        app.check_alive()
        return [node for node in tsgui.find_all(app.root, name='Main Menu')
                if 'click' in tsgui.actions(node)]
    return tsgui.wait_for('the main menu button', look)[0]


def preferences_windows(app):
    return [w for w in app.root if w is not None and w.name == 'Preferences']


def open_preferences(app):
    tsgui.click(main_menu_button(app))
    tsgui.click(app.find('the "Preferences" menu item', name='Preferences', role='menu item'))
    return tsgui.wait_for('the Preferences window', lambda: preferences_windows(app))[0]


def close_preferences(app, window):
    buttons = [node for node in tsgui.find_all(window, name='Close', role='push button')
               if 'click' in tsgui.actions(node)]
    if not buttons:
        raise tsgui.Failure('no Close button on the Preferences window')
    tsgui.click(buttons[0])
    tsgui.wait_for('the Preferences window to close', lambda: not preferences_windows(app))


def cache_size_spin(window):
    """The spin button in the row titled CACHE_SIZE_TITLE."""
    def look():
        for spin in tsgui.find_all(window, role='spin button'):
            row = spin.parent
            while row is not None and not tsgui.find_all(row, name=CACHE_SIZE_TITLE):
                row = row.parent
            if row is not None and len(tsgui.find_all(row, role='spin button')) == 1:
                return spin
        return None
    return tsgui.wait_for('the cache size spin button', look)


def spin_value(spin):
    return spin.queryValue().currentValue


def is_visible(node):
    return node.getState().contains(pyatspi.STATE_VISIBLE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    app = tsgui.App([args.app])
    try:
        try:
            window = open_preferences(app)
            for title in ('Spotify', 'Album Art', 'Client ID', 'Client Secret',
                          'Test Connection', 'Forget', 'Cover Source', 'Concurrent Downloads',
                          CACHE_SIZE_TITLE, 'Clear Cache'):
                tsgui.wait_for(f'"{title}" in Preferences',
                               lambda: tsgui.find_all(window, name=title))

            # The lookup fails (no secret service on the test's bus): explained.
            tsgui.wait_for('the "no keyring" explanation',
                           lambda: [node for node in
                                    tsgui.find_all(window, name='No Keyring Available')
                                    if is_visible(node)])
            tsgui.wait_for('the oEmbed fallback explained',
                           lambda: tsgui.find_all(window, pattern=r'still come through oEmbed'))
            tsgui.log('the no-keyring explanation is shown')

            spin = cache_size_spin(window)
            tsgui.log(f'cache size limit: {spin_value(spin)} MiB')
            spin.queryValue().currentValue = NEW_CACHE_SIZE
            tsgui.wait_for('the new cache size', lambda: spin_value(spin) == NEW_CACHE_SIZE)
            close_preferences(app, window)

            window = open_preferences(app)
            spin = cache_size_spin(window)
            tsgui.wait_for(f'the cache size limit kept at {NEW_CACHE_SIZE} MiB',
                           lambda: spin_value(spin) == NEW_CACHE_SIZE, timeout=5)
            tsgui.log(f'after re-opening: {spin_value(spin)} MiB')
            close_preferences(app, window)
            app.check_alive()
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
