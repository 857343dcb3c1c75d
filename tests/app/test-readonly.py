# SPDX-License-Identifier: GPL-3.0-or-later
#
# Folders the app cannot write, or that vanish under it.
#
# 1. XDG_DATA_HOME on a read-only file system (a tmpfs mounted ro: as
#    root, file modes do not stop writes). Discover answers a query as the
#    CLI does; adding songs to the playlist works, and a toast names the
#    folder the playlist cannot be kept in; the predictor space, whose
#    model cannot be cached under XDG_DATA_HOME/tunescope/models, is
#    trained and used from memory, a toast naming that folder, its results
#    the CLI's (which trains the same model, as read-only).
# 2. The cover cache (XDG_CACHE_HOME/tunescope/art) deleted while the app
#    runs: the covers of the next query still show, from the folder made
#    again.
#
# Without the right to mount (not root) the first case is skipped
# (exit 77) with a SKIP line; the mount is undone however the test ends.

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import tsgui

N_PER_CLUSTER = 100
FIRST = 'Alpha 7'         # a song of the low-feature cluster
FAR = 'Omega 42'          # one of the high-feature cluster: other covers
PLAYLIST_TOAST = r'^The playlist cannot be kept for next time in (.*): '
MODEL_TOAST = r'^The new model is in use but not kept for next time: .*folder (\S+)'


def song_id(i):
    """A Spotify-shaped id (22 characters) that spotify-server.py serves a
    cover for (ids starting with "ok")."""
    return f'ok{i:020d}'


def write_dataset(folder):
    """Two clusters of songs far apart: a query in one shows none of the
    other's songs (and so none of their covers)."""
    header = ['valence', 'year', 'acousticness', 'artists', 'danceability', 'duration_ms',
              'energy', 'explicit', 'id', 'instrumentalness', 'key', 'liveness', 'loudness',
              'mode', 'name', 'popularity', 'release_date', 'speechiness', 'tempo']
    path = os.path.join(folder, 'data.csv')
    with open(path, 'w', newline='', encoding='utf-8') as f:
        out = csv.writer(f)
        out.writerow(header)
        for i in range(2 * N_PER_CLUSTER):
            high = i >= N_PER_CLUSTER
            j = i % N_PER_CLUSTER
            # Low or high in every feature, spread a little by the index.
            x = (0.8 if high else 0.05) + j * 0.001
            year = 1990 + j % 30
            row = {
                'valence': x, 'year': year, 'acousticness': 1 - x,
                'artists': repr([f'{"Omega" if high else "Alpha"} Band {j % 9}']),
                'danceability': x, 'duration_ms': 120000 + j * 997, 'energy': x,
                'explicit': j % 2, 'id': song_id(i), 'instrumentalness': x / 2,
                'key': j % 12, 'liveness': x / 3, 'loudness': -30 + 25 * x,
                'mode': j % 2, 'name': f'{"Omega" if high else "Alpha"} {j}',
                'popularity': int(100 * x) % 101, 'release_date': str(year),
                'speechiness': x / 4, 'tempo': 70 + 100 * x + j,
            }
            out.writerow([row[key] for key in header])
    return path


def cli_first(cli, data, query_id, space, env=None):
    out = subprocess.run([cli, 'similar', '--song', query_id, '--space', space, '--metric',
                          'cosine', '-n', '1', '--data', data, '--json'],
                         check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)['results'][0]['name']


def wait_for_toast(app, what, pattern, timeout=60):
    def look():
        app.check_alive()
        return tsgui.labels_outside_lists(app, pattern)
    text = tsgui.wait_for(what, look, timeout=timeout, interval=0.2)[0]
    tsgui.log(f'toast: {text}')
    return text


def query(app, name, status_by):
    """Ctrl+F, the song's name, its suggestion, and the status."""
    tsgui.xdotool('key', 'ctrl+f')
    time.sleep(0.3)
    tsgui.xdotool('type', '--delay', '20', name)
    app.find(f'the suggestion "{name}"', name=name, role='label')
    tsgui.xdotool('key', 'Return')
    app.find(f'songs like {name}', name=f'Songs like “{name}” by {status_by}', role='label',
             timeout=60)


def wait_for_first(app, what, want):
    def look():
        app.check_alive()
        titles = tsgui.result_titles(app)
        return titles if titles and titles[0] == want else None
    try:
        titles = tsgui.wait_for(what, look, timeout=90)
    except tsgui.Failure:
        raise tsgui.Failure(f'{what}: the list starts {tsgui.result_titles(app)[:5]}, '
                            f'the CLI says {want!r}') from None
    tsgui.log(f'{what}: {titles[:3]}')
    return titles


def open_discover(app):
    tsgui.wait_for_track_count(app)
    tsgui.click(tsgui.clickable(app, 'Discover'))
    app.find('the search entry', name='Search songs and artists')
    time.sleep(0.5)


def add_songs(app, n):
    """Adds the first N rows of the similar songs to the playlist, the
    buttons from one walk: the toast that follows lasts 10 s."""
    lists = tsgui.find_all(app.root, name='Similar songs', role='list')
    buttons = [node for row in list(lists[0])[:n]
               for node in tsgui.find_all(row, name='Add to playlist')
               if 'click' in tsgui.actions(node)]
    if len(buttons) < n:
        raise tsgui.Failure(f'{len(buttons)} "Add to playlist" buttons in the first rows')
    for button in buttons[:n]:
        tsgui.click(button)
        time.sleep(0.3)


def choose_space(app, downs):
    combo = app.find('the space drop-down', name='Space', role='combo box')
    tsgui.click(combo[0])
    app.find('the predictor item', name='Predictor', role='label')
    time.sleep(0.5)
    tsgui.xdotool('key', *(['Down'] * downs), 'Return')


# ---- 1. a read-only XDG_DATA_HOME ------------------------------------------

class ReadOnlyMount:
    """A read-only tmpfs on FOLDER, unmounted by close() (run however the
    test ends: main() turns SIGTERM, meson's timeout, into an exception)."""

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        result = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'ro,size=1M', 'tmpfs', folder],
                                capture_output=True, text=True)
        self.mounted = result.returncode == 0
        self.error = result.stderr.strip()

    def close(self):
        if self.mounted:
            for attempt in range(10):
                if subprocess.run(['umount', self.folder]).returncode == 0:
                    break
                time.sleep(0.5)   # the app may still be exiting
            else:
                subprocess.run(['umount', '-l', self.folder])
            self.mounted = False


def check_read_only(folder):
    """The mount really refuses writes (root included)."""
    try:
        os.mkdir(os.path.join(folder, 'tunescope'))
    except OSError:
        return
    raise tsgui.Failure(f'{folder} is mounted read-only but took a folder')


def case_read_only_data(args, data, workdir):
    ro = os.path.join(workdir, 'ro-data')
    mount = ReadOnlyMount(ro)
    if not mount.mounted:
        tsgui.log(f'SKIP: cannot mount a read-only tmpfs ({mount.error or "not root?"})')
        return False
    try:
        check_read_only(ro)
        env = tsgui.env_without_covers()
        env['XDG_DATA_HOME'] = ro
        app = tsgui.App([args.app, data], env=env)
        try:
            try:
                read_only_session(args, app, data, env, ro)
            except tsgui.Failure:
                app.dump()
                raise
        finally:
            app.stop()
    finally:
        mount.close()
    return True


def read_only_session(args, app, data, env, ro):
    open_discover(app)
    first_id = song_id(7)
    query(app, FIRST, 'Alpha Band 7')
    wait_for_first(app, 'the similar songs', cli_first(args.cli, data, first_id, 'base'))

    # The playlist: still built, one toast naming the folder.
    add_songs(app, 2)
    text = wait_for_toast(app, 'the playlist toast', PLAYLIST_TOAST)
    folder = re.search(PLAYLIST_TOAST, text).group(1)
    if folder != os.path.join(ro, 'tunescope'):
        raise tsgui.Failure(f'the toast names {folder}, not {ro}/tunescope')
    tsgui.click(tsgui.clickable(app, 'Playlist'))
    app.find('two songs in the playlist', name='2 songs', role='label')
    tsgui.click(tsgui.clickable(app, 'Discover'))

    # A learnt space: trained, not cached, used.
    choose_space(app, 1)
    text = wait_for_toast(app, 'the model toast', MODEL_TOAST, timeout=120)
    folder = re.search(MODEL_TOAST, text).group(1).rstrip(':')
    if not folder.startswith(os.path.join(ro, 'tunescope')):
        raise tsgui.Failure(f'the model toast names {folder}, not a folder under {ro}')
    want = cli_first(args.cli, data, first_id, 'predictor', env=env)
    wait_for_first(app, 'the predictor space from memory', want)
    if os.listdir(ro):
        raise tsgui.Failure(f'files appeared on the read-only mount: {os.listdir(ro)}')
    app.check_alive()


# ---- 2. the cover cache deleted --------------------------------------------

def covers_shown(app):
    return {node.name[len('Cover of '):] for node in tsgui.find_all(app.root,
                                                                    pattern=r'^Cover of ')}


def wait_for_covers(app, what, prefix, at_least=5):
    """At least AT_LEAST covers of songs whose names start with PREFIX."""
    def look():
        app.check_alive()
        mine = {name for name in covers_shown(app) if name.startswith(prefix)}
        return mine if len(mine) >= at_least else None
    shown = tsgui.wait_for(what, look, timeout=90, interval=0.5)
    tsgui.log(f'{what}: {len(shown)} covers')
    return shown


def stored_covers(art):
    return [name for _, _, files in os.walk(art) for name in files if name.endswith('.jpg')]


def case_cache_deleted(args, data, workdir):
    server = subprocess.Popen(['/usr/bin/python3', args.server, args.cover],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        match = re.match(r'PORT (\d+)', server.stdout.readline())
        if not match:
            raise tsgui.Failure('the Spotify stand-in did not start')
        env = dict(os.environ)
        env['TUNESCOPE_OEMBED_URL'] = f'http://127.0.0.1:{match.group(1)}/oembed'
        env['XDG_CACHE_HOME'] = os.path.join(workdir, 'cache')
        art = os.path.join(env['XDG_CACHE_HOME'], 'tunescope', 'art')
        app = tsgui.App([args.app, data], env=env)
        try:
            try:
                open_discover(app)
                query(app, FIRST, 'Alpha Band 7')
                wait_for_covers(app, 'the covers of the first query', 'Alpha')
                if not stored_covers(art):
                    raise tsgui.Failure(f'no cover stored in {art}')
                shutil.rmtree(art)
                tsgui.log(f'deleted {art}')
                query(app, FAR, 'Omega Band 6')
                wait_for_covers(app, 'the covers of the next query', 'Omega')
                if not stored_covers(art):
                    raise tsgui.Failure(f'the covers shown were not stored again in {art}')
                tsgui.log(f'{len(stored_covers(art))} covers stored again')
                app.check_alive()
            except tsgui.Failure:
                app.dump()
                raise
        finally:
            app.stop()
    finally:
        server.stdin.close()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def raise_on_sigterm(signum, frame):
    raise tsgui.Failure(f'stopped by signal {signum}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--server', required=True, help='tests/net/spotify-server.py')
    parser.add_argument('--cover', required=True, help='the JPEG it serves')
    args = parser.parse_args()

    # meson's timeout sends SIGTERM: the finally blocks still unmount.
    signal.signal(signal.SIGTERM, raise_on_sigterm)
    with tempfile.TemporaryDirectory(prefix='ts-readonly-') as workdir:
        data = write_dataset(workdir)
        case_cache_deleted(args, data, workdir)
        mounted = case_read_only_data(args, data, workdir)
    if not mounted:
        sys.exit(77)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
