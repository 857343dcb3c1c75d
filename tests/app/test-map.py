# SPDX-License-Identifier: GPL-3.0-or-later
#
# Discover's map: on the real subset, searches a song, switches from the
# list to the map and reads the map's description (every song, the query
# and the similar songs highlighted), switches the space and sees the map
# follow, and back to the list. With --screenshots DIR, also saves the
# screen with the map, and again in a narrow window.

import argparse
import re
import time

import tsgui

QUERY = 'Bohemian Rhapsody'






def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--screenshots', default='')
    args = parser.parse_args()

    data = tsgui.real_subset_or_skip()
    env = tsgui.env_without_covers()

    app = tsgui.App([args.app, data], env=env)
    try:
        n_tracks = tsgui.wait_for_track_count(app)
        tsgui.click(tsgui.clickable(app, 'Discover'))
        app.find('the search entry', name='Search songs and artists')
        time.sleep(0.5)
        tsgui.xdotool('type', '--delay', '30', QUERY)
        app.find('a suggestion', name=QUERY, role='label')
        tsgui.xdotool('key', 'Return')
        app.find('the query in the status',
                 name='Songs like “Bohemian Rhapsody” by Panic! At The Disco', timeout=60)

        tsgui.click(tsgui.clickable(app, 'Map'))
        text = tsgui.map_description(app, r'highlighted')
        tsgui.log(f'map: {text}')
        if f'Map of {n_tracks} songs in the audio features space' not in text:
            raise tsgui.Failure(f'the map does not cover the {n_tracks} songs: {text!r}')
        if not re.search(r'explaining \d+% and \d+% of the variance', text):
            raise tsgui.Failure(f'no variance shares in {text!r}')
        if not re.search(r'“Bohemian Rhapsody”.* and \d+ similar songs highlighted', text):
            raise tsgui.Failure(f'the query and results are not highlighted: {text!r}')
        time.sleep(0.5)
        tsgui.screenshot(directory=args.screenshots, name='map')

        # Another space: the map follows once its model is ready.
        combo = app.find('the space drop-down', name='Space', role='combo box')
        tsgui.click(combo[0])
        app.find('the Autoencoder item', name='Autoencoder', role='label')
        time.sleep(0.5)
        tsgui.xdotool('key', 'Down', 'Down', 'Return')
        text = tsgui.map_description(app, r'in the autoencoder space.*highlighted')
        tsgui.log(f'map: {text}')
        time.sleep(0.5)
        tsgui.screenshot(directory=args.screenshots, name='map-autoencoder')

        if args.screenshots:
            tsgui.xdotool('search', '--onlyvisible', '--name', 'Tunescope', 'windowsize', '%@', '400', '700')
            time.sleep(1.0)
            tsgui.screenshot(directory=args.screenshots, name='map-narrow')

        tsgui.click(tsgui.clickable(app, 'List'))
        app.find('the results list again', name='Similar songs')
    except tsgui.Failure:
        app.dump()
        raise
    finally:
        app.stop()


if __name__ == '__main__':
    raise SystemExit(tsgui.run(main))
