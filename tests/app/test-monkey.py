# SPDX-License-Identifier: GPL-3.0-or-later
#
# A monkey: N random actions on the real app, from a fixed seed, through
# AT-SPI and xdotool: switching pages, typing in the search, changing the
# space and the metric, steering, adding and removing playlist songs,
# opening the Models window and cancelling a training, pasting an image,
# resizing the window (down to 360 px wide), Escape, opening and closing
# Preferences. The app runs on a 300-song dataset the test writes, with
# fatal warnings: after every action it must still be running, and at the
# end it must answer a Discover query as `tunescope-cli similar` does,
# then quit on Ctrl+Q with status 0 and nothing on its stderr that looks
# like a warning, a critical or a sanitizer report.
#
# TS_MONKEY_ACTIONS sets N (default 200, what the suite runs),
# TS_MONKEY_SEED the seed. Each action is logged with its index and
# arguments: a failure replays from the seed.

import argparse
import csv
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import pyatspi

import tsgui

SANITIZED = os.environ.get('TS_SANITIZE', 'none') not in ('', 'none')

DEFAULT_ACTIONS = 200
DEFAULT_SEED = 1307
N_SONGS = 300
# The song the final query asks for: a name no other song starts with.
FINAL_ID = '0monkeyfinalsong00000a'
FINAL_NAME = 'Zebra Final Song'
FINAL_ARTIST = 'Final Artist'
PAGES = ('Dataset', 'Explore', 'Discover', 'Image', 'Playlist')
# Width, height: narrow (a phone), the default, wide.
SIZES = ((360, 640), (480, 800), (800, 600), (1280, 800), (1200, 500))
WORDS = ('Song', 'Blue', 'Artist 1', 'Zebra', 'zz', 'Final', 'é', '12', 'Red Song 3', '')
MAX_ROWS = 20
# The windows the actions open and close themselves (popovers are windows
# named after the app).
OWN_WINDOWS = ('Tunescope', 'Models', 'Preferences', 'Clipboard Source')
# Under AddressSanitizer with fast_unwind_on_malloc=0 (full stacks for
# LeakSanitizer) the app takes a minute to start on a busy machine.
START_TIMEOUT = 120


def write_dataset(folder, rng):
    """N_SONGS songs with features drawn from RNG, plus the final query's."""
    header = ['valence', 'year', 'acousticness', 'artists', 'danceability', 'duration_ms',
              'energy', 'explicit', 'id', 'instrumentalness', 'key', 'liveness', 'loudness',
              'mode', 'name', 'popularity', 'release_date', 'speechiness', 'tempo']
    colours = ('Red', 'Blue', 'Green', 'Gold', 'Grey')
    path = os.path.join(folder, 'data.csv')
    with open(path, 'w', newline='', encoding='utf-8') as f:
        out = csv.writer(f)
        out.writerow(header)
        for i in range(N_SONGS + 1):
            last = i == N_SONGS
            year = rng.randint(1950, 2020)
            row = {
                'valence': rng.random(), 'year': year, 'acousticness': rng.random(),
                'artists': repr([FINAL_ARTIST if last else f'Artist {i % 23}']),
                'danceability': rng.random(), 'duration_ms': rng.randint(90000, 400000),
                'energy': rng.random(), 'explicit': rng.randint(0, 1),
                'id': FINAL_ID if last else f'{i:04d}monkeysong{i:07d}',
                'instrumentalness': rng.random(), 'key': rng.randint(0, 11),
                'liveness': rng.random(), 'loudness': -rng.random() * 30,
                'mode': rng.randint(0, 1),
                'name': FINAL_NAME if last else f'{colours[i % 5]} Song {i}',
                'popularity': rng.randint(0, 100), 'release_date': str(year),
                'speechiness': rng.random() * 0.5, 'tempo': 60 + rng.random() * 120,
            }
            out.writerow([row[key] for key in header])
    return path


def write_png(path, rng, size=32):
    """A small RGB PNG of random colour bands (no imaging library needed)."""
    colours = [bytes(rng.randrange(256) for _ in range(3)) for _ in range(4)]
    raw = b''.join(b'\0' + colours[y * 4 // size] * size for y in range(size))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(raw)))
        f.write(chunk(b'IEND', b''))


def is_alive(node):
    """Whether NODE is still in the app's tree (GTK 4.8 sets no SHOWING
    state, and VISIBLE only from the widget's own flag: being on screen
    cannot be asked)."""
    try:
        return not node.getState().contains(pyatspi.STATE_DEFUNCT)
    except Exception:
        return False


class Monkey:
    """The app, its X window and the random source of the actions."""

    def __init__(self, app, rng, drag_source, png):
        self.app = app
        self.rng = rng
        self.drag_source = drag_source
        self.png = png
        self.window = tsgui.x_window('Tunescope')
        # What earlier walks found, by what was looked for: see lookup.
        self.found = {}
        self.walks = 0

    # ---- helpers -------------------------------------------------------

    def focus(self):
        tsgui.xdotool('windowfocus', self.window)
        time.sleep(0.1)

    def key(self, *keys):
        self.focus()
        tsgui.xdotool('key', '--clearmodifiers', *keys)

    def outside_lists(self, root=None):
        """The nodes of the tree but the rows of lists: song rows are most of
        the tree, and a full walk takes seconds on a busy machine."""
        self.walks += 1
        found = []

        def walk(node, depth):
            try:
                found.append(node)
                if node.getRoleName() == 'list' or depth > 60:
                    return
                children = list(node)
            except Exception:
                return
            for child in children:
                if child is not None:
                    walk(child, depth + 1)
        walk(root or self.app.root, 0)
        return found

    def lookup(self, key, search):
        """The nodes SEARCH(nodes outside lists) finds, remembered under KEY
        while they live. A walk costs a D-Bus call or more per node, about
        a second on a busy machine; the page buttons, drop-downs and lists
        it finds live as long as the window, and asking one whether it is
        still there is a single call. None left, or none found the last
        time, means a new walk."""
        alive = [node for node in self.found.get(key, ()) if is_alive(node)]
        if not alive:
            alive = self.found[key] = search(self.outside_lists())
        return alive

    def find_clickable(self, name, nodes=None, sensitive=True):
        """The clickable nodes named NAME among NODES (default: the tree
        outside lists)."""
        found = []
        for node in tsgui.find_all_in(nodes if nodes is not None else self.outside_lists(),
                                      name=name):
            try:
                if 'click' not in tsgui.actions(node):
                    continue
                if sensitive and not node.getState().contains(pyatspi.STATE_SENSITIVE):
                    continue
                found.append(node)
            except Exception:
                continue
        return found

    def rows_of(self, list_names):
        """Every node inside the lists named in LIST_NAMES."""
        lists = self.lookup(('lists',) + tuple(list_names),
                            lambda nodes: [node for node in tsgui.find_all_in(nodes, role='list')
                                           if node.name in list_names])
        # The first rows are enough to pick from, and a walk of a hundred
        # rows costs seconds.
        return [node for lst in lists if lst.name in list_names
                for row in list(lst)[:MAX_ROWS] for node in tsgui.walk(row)]

    def top_windows(self, title):
        return [w for w in self.app.root if w is not None and w.name == title]

    def close_window(self, title):
        """Escape in the dialog TITLE (an AdwPreferencesWindow), given the
        focus first: keys sent by xdotool to a window without the focus are
        synthetic, and GTK ignores them. A second Escape for an open
        drop-down."""
        for attempt in range(3):
            found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                                   capture_output=True, text=True).stdout.split()
            if not found:
                break
            tsgui.xdotool('windowfocus', found[0])
            time.sleep(0.2)
            tsgui.xdotool('key', 'Escape')
            time.sleep(0.5)
        self.wait_window_gone(title)

    def close_stray_dialogs(self):
        """Closes with Escape any other window an action opened by chance, as
        a person would: Return on a page whose button had the focus opens a
        file chooser ("Import a Playlist"), modal, and nothing else works
        until it is gone. Returns their titles."""
        closed = []
        found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '.'],
                               capture_output=True, text=True).stdout.split()
        for window in found:
            title = subprocess.run(['xdotool', 'getwindowname', window], capture_output=True,
                                   text=True).stdout.strip()
            if title in OWN_WINDOWS:
                continue
            tsgui.xdotool('windowfocus', window)
            time.sleep(0.2)
            tsgui.xdotool('key', 'Escape')
            closed.append(title)
        if closed:
            time.sleep(tsgui.WINDOW_TEARDOWN_S)
        return closed

    def wait_window_gone(self, title):
        tsgui.wait_for_window_gone(f'the window "{title}" to close',
                                   lambda: not self.top_windows(title))

    def choose_in(self, combo_name, downs):
        """Opens the drop-down COMBO_NAME, goes to its first item, then DOWNS
        further, and picks it."""
        combos = self.lookup(('combo box', combo_name),
                             lambda nodes: tsgui.find_all_in(nodes, name=combo_name,
                                                             role='combo box'))
        if not combos:
            return 'no drop-down'
        tsgui.click(combos[0][0])
        time.sleep(0.5)
        tsgui.xdotool('key', *(['Up'] * 4), *(['Down'] * downs), 'Return')
        return 'chosen'

    # ---- the actions ---------------------------------------------------

    def switch_page(self, page):
        # All five from one walk: the bar above holds them at any width, the
        # one below at narrow widths.
        pattern = '^(' + '|'.join(PAGES) + ')$'
        buttons = self.lookup('pages', lambda nodes: [
            node for node in tsgui.find_all_in(nodes, pattern=pattern)
            if 'click' in tsgui.actions(node)])
        buttons = [node for node in buttons if node.name == page]
        if not buttons:
            return 'no button'
        tsgui.click(buttons[0])
        return 'switched'

    def type_search(self, text, enter):
        self.switch_page('Discover')
        time.sleep(0.3)
        self.key('ctrl+f')
        if text:
            tsgui.xdotool('type', '--delay', '15', text)
        if enter:
            time.sleep(0.5)
            tsgui.xdotool('key', 'Return')
        return 'typed'

    def space(self, index):
        return self.choose_in('Space', index)

    def metric(self, index):
        return self.choose_in('Metric', index)

    def steer(self, which, fraction):
        steer = self.lookup('Steer', lambda nodes: self.find_clickable('Steer', nodes))
        if not steer:
            return 'no Steer button'
        sliders = self.lookup('sliders', lambda nodes: tsgui.find_all_in(nodes, role='slider'))
        if not sliders:
            tsgui.click(steer[0])
            return 'opened the panel'
        if which == 'reset':
            reset = self.lookup('Reset', lambda nodes: self.find_clickable('Reset', nodes))
            if reset:
                tsgui.click(reset[0])
            return 'reset' if reset else 'no Reset'
        slider = sliders[which % len(sliders)]
        value = slider.queryValue()
        value.currentValue = value.minimumValue + fraction * (value.maximumValue
                                                              - value.minimumValue)
        return f'{slider.name} = {value.currentValue:.3g}'

    def add_song(self, pick):
        lists = ('Similar songs', 'Songs like the image', 'Recommended songs')
        buttons = self.find_clickable('Add to playlist', self.rows_of(lists))
        if not buttons:
            return 'no song to add'
        tsgui.click(buttons[pick % len(buttons)])
        return f'added row {pick % len(buttons)} of {len(buttons)}'

    def remove_song(self, pick, undo):
        self.switch_page('Playlist')
        time.sleep(0.3)
        buttons = self.find_clickable('Remove from playlist',
                                      self.rows_of(('Songs of the playlist',)))
        if not buttons:
            return 'no song to remove'
        tsgui.click(buttons[pick % len(buttons)])
        if undo:
            time.sleep(0.3)
            found = tsgui.find_all_in(self.outside_lists(), pattern=r'^Undo( Undo)?$',
                                      role='push button')
            if found:
                tsgui.click(found[0])
                return 'removed, then undone'
        return f'removed row {pick % len(buttons)} of {len(buttons)}'

    def train_and_cancel(self, kind, wait_s):
        """The Models window: picks a kind, starts training, cancels it after
        WAIT_S and closes the window."""
        dialogs = self.open_window('ctrl+m', 'Models')
        try:
            self.choose_in('Model', kind)
            train = self.find_clickable('Train', self.outside_lists(dialogs[0]))
            if train:
                tsgui.click(train[0])
                time.sleep(wait_s)
                cancel = self.find_clickable('Cancel', self.outside_lists(dialogs[0]))
                if cancel:
                    tsgui.click(cancel[0])
            return 'trained then cancelled' if train else 'no Train button'
        finally:
            time.sleep(0.3)
            self.close_window('Models')

    def paste_image(self, on_image_page):
        if on_image_page:
            self.switch_page('Image')
        helper = subprocess.Popen([self.drag_source, '--clipboard', self.png],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            tsgui.x_window('Clipboard Source')
            self.key('ctrl+v')
            time.sleep(1.0)
        finally:
            helper.kill()
            helper.wait()
        return 'pasted'

    def resize(self, width, height):
        tsgui.xdotool('windowsize', self.window, width, height)
        time.sleep(0.3)
        return 'resized'

    def escape(self):
        self.key('Escape')
        return 'pressed'

    def open_window(self, keys, title):
        """Presses KEYS until the window TITLE is there. Twice at most, as a
        person does when nothing happens: a shortcut sent while a popover
        closes may be lost (Escape then Ctrl+comma, under Xvfb without a
        window manager)."""
        for timeout in (5, 10):
            self.key(keys)
            try:
                return tsgui.wait_for(f'the {title} window', lambda: self.top_windows(title),
                                      timeout=timeout)
            except tsgui.Failure:
                if timeout == 10:
                    raise
                tsgui.log(f'no {title} window 5 s after {keys}: once more')

    def preferences(self, stay_s):
        self.open_window('ctrl+comma', 'Preferences')
        time.sleep(stay_s)
        self.close_window('Preferences')
        return 'opened and closed'

    # ---- choosing ------------------------------------------------------

    def next_action(self):
        """(weight, name, args) drawn from the seeded source: the args are
        drawn here too, so that the log holds everything to replay."""
        rng = self.rng
        table = [
            (14, 'switch_page', (rng.choice(PAGES),)),
            (12, 'type_search', (rng.choice(WORDS), rng.random() < 0.6)),
            (6, 'space', (rng.randrange(4),)),
            (6, 'metric', (rng.randrange(4),)),
            (10, 'steer', (rng.choice([0, 1, 2, 3, 4, 5, 'reset']), rng.random())),
            (10, 'add_song', (rng.randrange(50),)),
            (7, 'remove_song', (rng.randrange(50), rng.random() < 0.3)),
            (3, 'train_and_cancel', (rng.randrange(3), rng.choice([0.0, 0.5, 2.0]))),
            (5, 'paste_image', (rng.random() < 0.7,)),
            (9, 'resize', rng.choice(SIZES)),
            (8, 'escape', ()),
            (3, 'preferences', (rng.choice([0.2, 1.0]),)),
        ]
        _, name, args = rng.choices(table, weights=[w for w, _, _ in table])[0]
        return name, args


def final_query(app, monkey, cli, data):
    """Back to a known state, then songs like FINAL_NAME in the base space
    under cosine: the first must be the CLI's. It looks only where each
    thing is (the suggestions, the status, the results' first rows): a walk
    of the whole tree, its hundreds of song rows, takes a minute under the
    sanitizers' slow unwinding."""
    for title in ('Models', 'Preferences'):
        if monkey.top_windows(title):
            monkey.close_window(title)
    monkey.resize(1280, 800)
    monkey.switch_page('Discover')
    time.sleep(0.5)
    monkey.space(0)
    time.sleep(0.5)
    monkey.metric(0)
    # Another text first: the page offers nothing for a text equal to the
    # song last chosen (it takes it for the echo of its own choice), and
    # the monkey may have chosen this one.
    monkey.type_search('zz', enter=False)
    time.sleep(1.0)
    monkey.type_search(FINAL_NAME, enter=False)

    def labels(list_name, **criteria):
        app.check_alive()
        return tsgui.find_all_in(monkey.rows_of((list_name,)), role='label', **criteria)
    tsgui.wait_for('the final song suggested', lambda: labels('Suggestions', name=FINAL_NAME),
                   timeout=30)
    tsgui.xdotool('key', 'Return')
    status = f'Songs like “{FINAL_NAME}” by {FINAL_ARTIST}'
    tsgui.wait_for('the final query in the status',
                   lambda: tsgui.find_all_in(monkey.outside_lists(), name=status, role='label'),
                   timeout=60)
    out = subprocess.run([cli, 'similar', '--song', FINAL_ID, '--space', 'base', '--metric',
                          'cosine', '-n', '1', '--data', data, '--json'],
                         check=True, capture_output=True, text=True).stdout
    want = json.loads(out)['results'][0]['name']

    def titles():
        return [node.name for node in labels('Similar songs')
                if node.description == 'Song title' and node.name]

    def first():
        found = titles()
        return found if found and found[0] == want else None
    try:
        found = tsgui.wait_for('the final results', first, timeout=60)
    except tsgui.Failure:
        raise tsgui.Failure(f'the final query starts {titles()[:5]}, '
                            f'the CLI says {want!r}') from None
    tsgui.log(f'final query: {found[:3]} (the CLI: {want!r})')


def app_env():
    """Covers fail quietly (a closed port); warnings are fatal even when the
    test runs outside meson, whose G_DEBUG carries them."""
    env = tsgui.env_without_covers()
    flags = [f for f in env.get('TS_APP_G_DEBUG', '').split(',') if f]
    if 'fatal-warnings' not in flags and 'fatal-criticals' not in flags:
        flags.append('fatal-warnings')
    env['TS_APP_G_DEBUG'] = ','.join(flags)
    if SANITIZED:
        # The leak check. LeakSanitizer needs whole stacks to tell our leaks
        # from the libraries' (Debian's GLib and GTK have no frame pointers:
        # fast unwinding stops in g_malloc), so the slow unwinder, 16 frames
        # deep: the app then runs about four times slower. The leaks are
        # sorted in check_log, so LeakSanitizer itself must not fail the app.
        env['ASAN_OPTIONS'] = ':'.join(
            [o for o in env.get('ASAN_OPTIONS', '').split(':')
             if o and not o.startswith(('detect_leaks=', 'fast_unwind_on_malloc=',
                                        'malloc_context_size='))]
            + ['detect_leaks=1', 'fast_unwind_on_malloc=0', 'malloc_context_size=16'])
        env['LSAN_OPTIONS'] = ':'.join(
            [o for o in env.get('LSAN_OPTIONS', '').split(':')
             if o and not o.startswith('exitcode=')] + ['exitcode=0'])
    return env


def leak_reports(text):
    """LeakSanitizer's reports in TEXT: (the first line, the stack's lines)."""
    reports = []
    for block in re.split(r'\n(?=(?:Direct|Indirect) leak of )', text)[1:]:
        lines = block.split('\n\n')[0].splitlines()
        reports.append((lines[0], [line.strip() for line in lines[1:]
                                   if line.strip().startswith('#')]))
    return reports


def is_ours(frames):
    """Whether a leak's stack passes through Tunescope's code: one of our
    functions (ts_*) or our sources (but main.c). A leak whose 16 frames
    are all in libraries is theirs (GTK 4.8 leaks the keys of an AT-SPI
    table on each of some D-Bus calls, Mesa a buffer once). A stack too
    short to tell counts as ours."""
    if len(frames) < 6:
        return True  # cut short (fast unwinding): whose it is cannot be told
    # A source line of ours; main () is on every stack of the main thread.
    return any(re.search(r' in _?ts_[a-z]|/src/(app|core|nn|base)/(?!main\.c)[\w-]+\.c:\d', frame)
               for frame in frames)


def check_log(path):
    """The app's own output holds no warning nor critical (fatal ones end
    the process; this catches what a test run without them lets pass), no
    sanitizer report, and no leak of ours."""
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    bad = [line for line in text.splitlines()
           if '-CRITICAL **' in line or '-WARNING **' in line
           or 'ERROR: AddressSanitizer' in line or 'runtime error:' in line]
    leaks = leak_reports(text)
    ours = [(title, frames) for title, frames in leaks if is_ours(frames)]
    if leaks:
        tsgui.log(f'LeakSanitizer: {len(leaks)} leaks at exit, {len(ours)} through our code')
    for title, frames in leaks:
        if (title, frames) not in ours:
            # Whole, so that a reader can check that no frame is ours.
            tsgui.log(f'  theirs: {title}\n' + '\n'.join(f'      {frame}' for frame in frames))
    bad += [f'{title} {frames}' for title, frames in ours]
    if bad:
        print(text)
        raise tsgui.Failure(f'the app reported: {bad[:3]}')


def describe_state(app):
    """What a failure's log needs beyond the tree: the app's windows as
    AT-SPI and X see them."""
    try:
        tsgui.log(f'windows on the accessibility bus: {app.windows()}')
    except Exception as error:
        tsgui.log(f'no answer on the accessibility bus: {error}')
    found = subprocess.run(['xdotool', 'search', '--name', '.'], capture_output=True, text=True)
    for window in found.stdout.split():
        name = subprocess.run(['xdotool', 'getwindowname', window], capture_output=True,
                              text=True).stdout.strip()
        tsgui.log(f'X window {window}: {name!r}')


def quit_app(app, monkey):
    """Ctrl+Q: the app must end by itself, with status 0 (under
    AddressSanitizer, leaks found at exit make it fail)."""
    monkey.key('ctrl+q')
    try:
        status = app.proc.wait(60)
    except subprocess.TimeoutExpired:
        raise tsgui.Failure('the app did not quit within 60 s of Ctrl+Q') from None
    if status != 0:
        raise tsgui.Failure(f'the app quit with status {status}')
    tsgui.log('the app quit cleanly')


def run_actions(app, monkey, n_actions):
    for index in range(n_actions):
        name, args = monkey.next_action()
        started = time.monotonic()
        walks = monkey.walks
        try:
            outcome = getattr(monkey, name)(*args)
        except tsgui.Failure as error:
            # What the action looked for did not come (a busy page): the
            # next one goes on; only the app's death fails the test.
            outcome = f'gave up: {error}'
            describe_state(app)
        except Exception as error:  # a node gone under our feet
            outcome = f'gave up: {type(error).__name__}: {error}'
        tsgui.log(f'action {index}: {name}{args!r} -> {outcome} '
                  f'({monkey.walks - walks} walks, {time.monotonic() - started:.1f} s)')
        app.check_alive()
        stray = monkey.close_stray_dialogs()
        if stray:
            tsgui.log(f'closed {stray} after action {index}')
        if index % 10 == 9:
            # Alive is not enough: the app must still answer on its bus.
            tsgui.wait_for('the app to answer AT-SPI', lambda: app.root.childCount >= 1,
                           timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--drag-source', required=True)
    args = parser.parse_args()

    n_actions = int(os.environ.get('TS_MONKEY_ACTIONS', DEFAULT_ACTIONS))
    seed = int(os.environ.get('TS_MONKEY_SEED', DEFAULT_SEED))
    tsgui.log(f'monkey: {n_actions} actions, seed {seed} '
              f'(TS_MONKEY_ACTIONS={n_actions} TS_MONKEY_SEED={seed} replays them)')
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix='ts-monkey-') as folder:
        data = write_dataset(folder, rng)
        png = os.path.join(folder, 'pasted.png')
        write_png(png, rng)
        log_path = os.path.join(folder, 'app.log')
        with open(log_path, 'w') as app_log:
            app = tsgui.App([args.app, data], env=app_env(), output=app_log,
                            start_timeout=START_TIMEOUT)
            try:
                try:
                    count = tsgui.wait_for_track_count(app)
                    if count != N_SONGS + 1:
                        raise tsgui.Failure(f'{count} tracks loaded, {N_SONGS + 1} written')
                    monkey = Monkey(app, rng, args.drag_source, png)
                    started = time.monotonic()
                    run_actions(app, monkey, n_actions)
                    tsgui.log(f'{n_actions} actions in {time.monotonic() - started:.0f} s')
                    final_query(app, monkey, args.cli, data)
                    quit_app(app, monkey)
                except tsgui.Failure:
                    describe_state(app)
                    app.dump()
                    app.stop()
                    with open(log_path, encoding='utf-8', errors='replace') as f:
                        print('--- the app said:\n' + f.read() + '---', flush=True)
                    raise
            finally:
                app.stop()
                app_log.flush()
                check_log(log_path)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
