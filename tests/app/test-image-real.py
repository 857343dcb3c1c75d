# SPDX-License-Identifier: GPL-3.0-or-later
#
# The image search on real covers, as a person uses it: tunescope-cli
# collects the real covers of ../shared (album_art_256, matched against the
# real subset) and trains the model on the pretrained backbone; the app
# opens TidyTuesday's songs (which carry genres), a real cover is dropped on
# the window, then another of another genre, and the page must show other
# songs for it, with the genres it sees and a plain word on the model's
# worth (ts-image-page.c). The CLI names the same first song for each.
#
# With TS_SCREENSHOT_DIR set, it saves screenshots of the page there.

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

import tsgui

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('image_drop',
                                               os.path.join(HERE, 'test-image-drop.py'))
image_drop = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(image_drop)

# Two covers of different genres (Rock and Latin playlists), both held out
# of training by their file names (ts-cnn-pretrained.c's rule).
COVERS = ('Decay_Rock.jpg', 'Chicomiel_Latin.jpg')
# Enough covers for a genre head that beats its baseline, few enough to
# keep the sanitizer build's first feature pass short.
N_COVERS = 400


def shared_or_skip():
    shared = os.path.join(os.environ.get('TS_SHARED_DIR', ''), 'data', 'spotify')
    needed = [os.path.join(shared, 'real-subset', 'data.csv'),
              os.path.join(shared, 'extras', 'tidytuesday-2020-01-21', 'spotify_songs.csv'),
              os.path.join(shared, 'extras', 'cover-art-sabinabains', 'album_art_256')]
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        if os.environ.get('CI') == 'true':
            tsgui.log(f'FAIL: {missing[0]} is missing, and CI always has ../shared')
            sys.exit(1)
        tsgui.log(f'SKIP: {missing[0]} is missing (../shared is not beside the checkout)')
        sys.exit(77)
    return needed


def train(cli, train_data, covers):
    for args in (['--data', train_data, 'covers', 'collect', '--source', 'folder', '--dir',
                  covers, '--limit', str(N_COVERS)], ['train', 'cnn']):
        started = time.monotonic()
        subprocess.run([cli, *args], check=True, capture_output=True, timeout=1200)
        tsgui.log(f'{args[-2]} {args[-1]}: {time.monotonic() - started:.0f} s')


def cli_songs(cli, data, image):
    out = subprocess.run([cli, '--json', '--data', data, 'similar', '--image', image,
                          '--limit', '10'], check=True, capture_output=True, text=True)
    return [r['name'] for r in json.loads(out.stdout)['results']]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--drag-source', required=True)
    args = parser.parse_args()

    train_data, tidy, covers = shared_or_skip()
    train(args.cli, train_data, covers)
    paths = [os.path.join(covers, name) for name in COVERS]
    want = [cli_songs(args.cli, tidy, path) for path in paths]

    app = tsgui.App([args.app, tidy])
    try:
        try:
            tsgui.wait_for_track_count(app)
            shown = []
            for path, expected in zip(paths, want):
                status = f'Songs that sound like “{os.path.basename(path)}”'

                def image_shown():
                    app.check_alive()
                    return tsgui.find_all(app.root, name=status, role='label')
                image_drop.drag_file(args.drag_source, path, image_shown)

                def titles():
                    app.check_alive()
                    names = tsgui.result_titles(app)
                    # the page's list, once it holds this picture's songs
                    return names if len(names) >= 10 and names[0] == expected[0] else None
                songs = tsgui.wait_for(f'the songs of {os.path.basename(path)}', titles)
                tsgui.log(f'{os.path.basename(path)}: {songs[:5]}')
                shown.append(songs[:10])
                genres = tsgui.find_all(app.root, pattern=r'^Looks like ')
                verdict = tsgui.find_all(app.root, pattern=r'^(On covers|This model)')
                if not verdict:
                    raise tsgui.Failure('no word on what the model is worth')
                tsgui.log(f'{genres[0].name if genres else "(no genres)"}; {verdict[0].name}')
                tsgui.screenshot(f'image-real-{len(shown)}.png', settle=1.0)
            common = set(shown[0]) & set(shown[1])
            tsgui.log(f'{len(common)} songs in common out of 10')
            if len(common) >= 5:
                raise tsgui.Failure(f'two different covers show nearly the same songs: {common}')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
