# SPDX-License-Identifier: GPL-3.0-or-later
#
# Covers in the Discover list, from the local stand-in for Spotify
# (tests/net/spotify-server.py) over a small fixture (covers.csv): its ids
# starting with "ok" have a cover, the two starting with "broken" answer
# HTTP 500.
#
# 1. Server up: the rows of "ok" songs show their cover (an image named
#    "Cover of <title>"), stored in the art cache; the broken ones keep the
#    placeholder, and their failures make ONE toast, not one per row.
# 2. Server gone (connection refused): ONE toast, no cover, and the window
#    still answers: a new search and a metric change work.

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import tsgui

QUERY = 'Amber Road'
BROKEN = {'Falling Lanterns', 'Lunar Ferry'}
TOAST = r'^Covers could not be loaded: '
REPORTED = 'Reported cover trouble: '


def cover_names(app):
    return [node.name for node in tsgui.find_all(app.root, pattern=r'^Cover of ')]


class Server:
    """spotify-server.py on a free port, until stop()."""

    def __init__(self, script, cover):
        self.proc = subprocess.Popen(['/usr/bin/python3', script, cover],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.match(r'PORT (\d+)', line)
        if not match:
            raise tsgui.Failure(f'the server said {line!r}')
        self.port = int(match.group(1))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_app(args, port, workdir):
    """The app on the fixture, covers from PORT, its own cache; its
    messages go to a log the test reads."""
    env = dict(os.environ)
    env['TUNESCOPE_OEMBED_URL'] = f'http://127.0.0.1:{port}/oembed'
    env['XDG_CACHE_HOME'] = os.path.join(workdir, 'cache')
    env['G_MESSAGES_DEBUG'] = 'ts-cover-loader'
    log_path = os.path.join(workdir, 'app.log')
    log = open(log_path, 'w')
    app = tsgui.App([args.app, args.csv], env=env, output=log)
    log.close()
    return app, log_path


def reports(log_path):
    with open(log_path, errors='replace') as log:
        return [line for line in log if REPORTED in line]


def failures(log_path):
    with open(log_path, errors='replace') as log:
        return [line for line in log if 'No cover for ' in line]


def print_log(log_path):
    print('--- the app said ---')
    with open(log_path, errors='replace') as log:
        print(log.read()[-6000:], flush=True)


def search(watch, query):
    app = watch.app
    tsgui.xdotool('key', 'ctrl+f')
    time.sleep(0.3)
    tsgui.xdotool('type', '--delay', '20', query)
    watch.wait('a suggestion', lambda: tsgui.find_all(app.root, name=query, role='label'))
    tsgui.xdotool('key', 'Return')

    def look():
        titles = tsgui.result_titles(app)
        return titles if len(titles) >= 5 else None
    titles = watch.wait('the similar songs', look, timeout=30)
    tsgui.log(f'{len(titles)} rows: {titles[:6]}')
    return titles


def open_discover(app):
    tsgui.wait_for_track_count(app)
    tsgui.click(tsgui.clickable(app, 'Discover'))
    app.find('the initial state', name='Find songs like…')
    time.sleep(0.5)


class ToastWatch:
    """Remembers the cover toast once seen: it lasts 5 s, so every wait
    of the test looks for it too."""

    def __init__(self, app):
        self.app = app
        self.seen = None

    def look(self):
        self.app.check_alive()
        if self.seen is None:
            found = tsgui.labels_outside_lists(self.app, TOAST)
            if found:
                self.seen = found[0]
                tsgui.log(f'toast: {self.seen}')
        return self.seen

    def wait(self, what, predicate, timeout=40):
        def look():
            self.look()
            return predicate()
        return tsgui.wait_for(what, look, timeout=timeout)


def one_report(watch, log_path, min_failures):
    """Waits for the toast and MIN_FAILURES failed rows, then checks that
    they made exactly one report."""
    watch.wait(f'{min_failures} failed covers',
               lambda: len(failures(log_path)) >= min_failures or None)
    # The toast lasts 5 s; a walk of the tree takes 1 to 3.5 s on a busy
    # machine, and GTK 4.8 sometimes leaves toasts out of the tree. The
    # report line is logged by the same call that raises the toast
    # (ts-cover-loader.c, report_trouble), so it stands for the toast when
    # the walks miss it.
    try:
        watch.wait('the cover toast', watch.look, timeout=10)
    except tsgui.Failure:
        tsgui.log('(the cover toast was not caught in the accessibility tree)')
    time.sleep(1)
    got = reports(log_path)
    if len(got) != 1:
        raise tsgui.Failure(f'{len(got)} trouble reports, not one: {got}')


def case_server_up(args, server, workdir):
    app, log_path = start_app(args, server.port, workdir)
    try:
        try:
            open_discover(app)
            watch = ToastWatch(app)
            titles = search(watch, QUERY)
            want = [title for title in titles if title not in BROKEN]

            def all_covers():
                app.check_alive()
                names = cover_names(app)
                return names if len(names) >= len(want) else None
            names = watch.wait('the covers of the "ok" rows', all_covers)
            tsgui.log(f'{len(names)} covers: {names[:4]}')
            shown = {name[len('Cover of '):] for name in names}
            if shown & BROKEN:
                raise tsgui.Failure(f'a broken song shows a cover: {shown & BROKEN}')
            if not set(want) <= shown:
                raise tsgui.Failure(f'rows without their cover: {set(want) - shown}')
            if not set(titles) & BROKEN:
                raise tsgui.Failure(f'no broken song on screen: {titles}')
            if not tsgui.find_all(app.root, name='Album art not loaded', role='image'):
                raise tsgui.Failure('no placeholder for the broken songs')

            art = os.path.join(workdir, 'cache', 'tunescope', 'art')
            stored = [name for root, _, files in os.walk(art) for name in files
                      if name.endswith('.jpg')]
            if len(stored) < len(want):
                raise tsgui.Failure(f'{len(stored)} covers in {art}, {len(want)} shown')

            # Both broken rows fail (after the retries): one toast.
            one_report(watch, log_path, min_failures=2)
        except tsgui.Failure:
            app.dump()
            print_log(log_path)
            raise
    finally:
        app.stop()


def case_server_gone(args, port, workdir):
    app, log_path = start_app(args, port, workdir)
    try:
        try:
            open_discover(app)
            watch = ToastWatch(app)
            started = time.monotonic()
            first = search(watch, QUERY)
            one_report(watch, log_path, min_failures=5)
            tsgui.log(f'search, toast and 5 failed covers in {time.monotonic() - started:.1f} s')
            if cover_names(app):
                raise tsgui.Failure(f'covers without a server: {cover_names(app)}')

            # Still answering: another search, then another metric.
            started = time.monotonic()
            second = search(watch, 'Marble Rain')
            if second == first:
                raise tsgui.Failure('the second search did not change the list')
            combo = app.find('the metric drop-down', name='Metric', role='combo box')
            tsgui.click(combo[0])
            app.find('the Manhattan item', name='Manhattan', role='label')
            time.sleep(0.5)
            tsgui.xdotool('key', 'Down', 'Down', 'Return')
            app.find('the status after the metric change', pattern=r'^Songs like “Marble Rain”',
                     timeout=10)
            # A frozen main loop answers neither AT-SPI nor the keyboard: the
            # waits above time out. The time includes typing and AT-SPI walks
            # on a loaded machine, hence the loose bound.
            elapsed = time.monotonic() - started
            tsgui.log(f'second search and metric change in {elapsed:.1f} s')
            if elapsed > 60:
                raise tsgui.Failure(f'the window took {elapsed:.1f} s to answer')
            time.sleep(2)
            got = reports(log_path)
            if len(got) != 1:
                raise tsgui.Failure(f'{len(got)} trouble reports, not one: {got}')
        except tsgui.Failure:
            app.dump()
            print_log(log_path)
            raise
    finally:
        app.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--csv', required=True)
    parser.add_argument('--server', required=True)
    parser.add_argument('--cover', required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as up_dir, tempfile.TemporaryDirectory() as gone_dir:
        server = Server(args.server, args.cover)
        try:
            tsgui.log(f'server on port {server.port}')
            case_server_up(args, server, up_dir)
        finally:
            server.stop()
        # Its port is free now: connections are refused.
        case_server_gone(args, server.port, gone_dir)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
