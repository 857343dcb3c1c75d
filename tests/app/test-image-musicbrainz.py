# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Image page collects covers from the Cover Art Archive through
# MusicBrainz, here tests/net/musicbrainz-server.py on 127.0.0.1 (the
# catalog of test-cli-musicbrainz.py's shape), and shows what it found.

import argparse
import importlib.util
import json
import os
import sys
import tempfile

import tsgui

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'cli'))
import cli_test_util  # noqa: E402
from colour_covers import colour_songs, jpeg, write_csv  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    'cli_mbz', os.path.join(HERE, '..', 'cli', 'test-cli-musicbrainz.py'))
cli_mbz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_mbz)

N_SONGS = 8
NO_COVER = 3  # one song whose release has no front cover


def serve(home):
    """Writes the songs, their covers and the catalog; starts the stand-in.
    Returns (data.csv, server process, port)."""
    covers = os.path.join(home, 'served')
    os.makedirs(covers)
    songs = colour_songs(N_SONGS, 11, cli_mbz.song_id)
    data = os.path.join(home, 'data.csv')
    write_csv(data, songs)
    catalog = {'covers': covers, 'songs': []}
    for i, song in enumerate(songs):
        song['mbid'], song['kind'] = cli_mbz.mbid(i), 'nocover' if i == NO_COVER else 'ok'
        catalog['songs'].append({k: song[k] for k in ('title', 'artist', 'mbid', 'kind')})
        with open(os.path.join(covers, song['mbid'] + '.jpg'), 'wb') as f:
            f.write(jpeg(32, 32, song['rgb']))
    with open(os.path.join(home, 'catalog.json'), 'w') as f:
        json.dump(catalog, f)
    server, port = cli_test_util.start_server(cli_mbz.SERVER, os.path.join(home, 'catalog.json'))
    return data, server, port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix='ts-image-mbz-', dir=os.environ.get('XDG_CACHE_HOME'))
    data, server, port = serve(home)
    env = dict(os.environ)
    base = f'http://127.0.0.1:{port}'
    env.update(TUNESCOPE_MUSICBRAINZ_URL=base + '/ws/2', TUNESCOPE_COVERART_URL=base + '/caa',
               TUNESCOPE_MUSICBRAINZ_INTERVAL_MS='20')
    app = None
    try:
        app = tsgui.App([args.app, data], env=env)
        try:
            tsgui.wait_for_track_count(app)
            tsgui.click(tsgui.clickable(app, 'Image'))
            app.find('the no-model page', name='No Cover-Art Model Yet')
            app.find('the time it takes', pattern=r'^About a song a second')
            tsgui.click(tsgui.clickable(app, 'Collect from the Cover Art Archive'))
            found = N_SONGS - 1
            toast = app.find('the result', name=f'Found {found} covers for {N_SONGS} songs '
                             'looked up', timeout=60)
            tsgui.log(toast.name)
            app.find('the covers count', name=f'{found} covers collected')
            app.find('training offered', pattern=r'^Training takes ')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        if app is not None:
            app.stop()
        cli_test_util.stop_server(server)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
