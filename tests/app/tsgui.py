# SPDX-License-Identifier: GPL-3.0-or-later
#
# tsgui.py: drive the real tunescope through the accessibility tree (AT-SPI),
# as a person would: find things by their label, click them, read them.

import os
import re
import subprocess
import sys
import time

import pyatspi

DEFAULT_TIMEOUT = 30.0


class Failure(Exception):
    pass


_STARTED = time.monotonic()


def log(message):
    """Prints MESSAGE with the seconds since the test started: a slow step shows."""
    print(f'[gui {time.monotonic() - _STARTED:6.1f}s] {message}', flush=True)


# GTK 4.8 crashes (a NULL object path, then SIGSEGV in g_variant_new) when
# an AT-SPI client asks the application for its windows while one of them
# is being torn down: seen under the sanitizers' timing when the
# Preferences window closed. Until GTK is fixed, a test that closed a
# window lets the teardown finish before it looks at the windows again.
WINDOW_TEARDOWN_S = 2.0


def wait_for_window_gone(what, gone, timeout=DEFAULT_TIMEOUT):
    """Waits for GONE() after a window was closed (see WINDOW_TEARDOWN_S)."""
    time.sleep(WINDOW_TEARDOWN_S)
    return wait_for(what, gone, timeout)


def wait_for(what, predicate, timeout=DEFAULT_TIMEOUT, interval=0.1):
    """Polls PREDICATE until it returns something true, or fails after TIMEOUT."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except Exception as error:  # the tree changes under us; retry
            last_error = error
        time.sleep(interval)
    raise Failure(f'timed out after {timeout:.0f} s waiting for {what}'
                  + (f' (last error: {last_error})' if last_error else ''))


def walk(node, depth=0, max_depth=60):
    if node is None or depth > max_depth:
        return
    yield node
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1, max_depth)


def actions(node):
    try:
        action = node.queryAction()
        return [action.getName(i) for i in range(action.nActions)]
    except Exception:
        return []


def find_all(root, name=None, role=None, pattern=None):
    return find_all_in(walk(root), name=name, role=role, pattern=pattern)


def find_all_in(nodes, name=None, role=None, pattern=None):
    found = []
    for node in nodes:
        try:
            if role is not None and node.getRoleName() != role:
                continue
            if name is not None and node.name != name:
                continue
            if pattern is not None and not re.search(pattern, node.name or ''):
                continue
            found.append(node)
        except Exception:
            continue
    return found


def click(node):
    """Activates NODE the way a click does, through its AT-SPI action."""
    names = actions(node)
    if 'click' not in names:
        raise Failure(f'{node.getRoleName()} "{node.name}" cannot be clicked: actions {names}')
    node.queryAction().doAction(names.index('click'))


def dump(root, out=sys.stdout):
    """Prints the tree, for a failure's log."""
    def rec(node, depth):
        try:
            print('  ' * depth + f'{node.getRoleName()} "{node.name}"', file=out)
            for child in node:
                if child is not None:
                    rec(child, depth + 1)
        except Exception as error:
            print('  ' * depth + f'<gone: {error}>', file=out)
    rec(root, 0)


def x_server_ready():
    return subprocess.run(['xdotool', 'getdisplaygeometry'], capture_output=True).returncode == 0


class App:
    """The app under test: a process and its accessible application."""

    def __init__(self, argv, env=None, output=None, start_timeout=DEFAULT_TIMEOUT):
        """OUTPUT: a file for the app's stdout and stderr (default: the test's);
        START_TIMEOUT: how long it may take to show up (more under slow
        sanitizer options)."""
        self.argv = argv
        env = dict(os.environ if env is None else env)
        # tunescope gets the test's G_DEBUG (fatal warnings); see run-gui-test.sh.
        if 'TS_APP_G_DEBUG' in env:
            env['G_DEBUG'] = env.pop('TS_APP_G_DEBUG')
        wait_for('the X server to accept clients', x_server_ready, timeout=15)
        log('starting ' + ' '.join(argv))
        self.proc = subprocess.Popen(argv, env=env, stdout=output, stderr=output)
        self.root = wait_for(f'{argv[0]} on the accessibility bus', self._find_root,
                             timeout=start_timeout)

    def _find_root(self):
        if self.proc.poll() is not None:
            raise Failure(f'{self.argv[0]} exited with {self.proc.returncode}')
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.get_process_id() == self.proc.pid:
                return app
        return None

    def check_alive(self):
        if self.proc.poll() is not None:
            raise Failure(f'{self.argv[0]} exited with {self.proc.returncode}')

    def find(self, what, timeout=DEFAULT_TIMEOUT, **kwargs):
        def look():
            self.check_alive()
            return find_all(self.root, **kwargs)
        return wait_for(what, look, timeout)[0]

    def find_together(self, what, *criteria, timeout=DEFAULT_TIMEOUT):
        """The first node matching each of CRITERIA (dicts of find_all's
        arguments), all from one walk of the tree: one walk takes seconds
        on a busy machine, more than a toast may wait."""
        def look():
            self.check_alive()
            nodes = list(walk(self.root))
            found = [find_all_in(nodes, **c) for c in criteria]
            return [f[0] for f in found] if all(found) else None
        return wait_for(what, look, timeout)

    def value_beside(self, title, pattern=r'\d'):
        """The text of the label after the label TITLE (a row's value), if it
        matches PATTERN."""
        labels = [node for node in find_all(self.root, role='label')]
        names = [node.name for node in labels]
        if title not in names:
            return None
        # The first non-empty label after the title is the row's value; an
        # empty value (no dataset yet) must not borrow the next row's.
        for name in names[names.index(title) + 1:]:
            if name:
                return name if re.search(pattern, name) else None
        return None

    def windows(self):
        return [(w.getRoleName(), w.name) for w in self.root if w is not None]

    def dump(self):
        print('--- accessibility tree of the app ---', flush=True)
        try:
            dump(self.root)
        except Exception as error:
            print(f'(no tree: {error})')
        print('---', flush=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def clickable(app, name, timeout=DEFAULT_TIMEOUT, sensitive=False):
    """The clickable node named NAME; with SENSITIVE, one that can be used
    (an insensitive button of the same name may be on another page)."""
    def look():
        app.check_alive()
        found = [node for node in find_all(app.root, name=name)
                 if 'click' in actions(node)
                 and (not sensitive or node.getState().contains(pyatspi.STATE_SENSITIVE))]
        return found or None
    return wait_for(f'something named "{name}" to click', look, timeout)[0]


def result_titles(app):
    """The titles of the result rows, in the list's order (the tree's:
    on-screen extents of recycled rows are not reliable under Xvfb)."""
    return [node.name for node in find_all(app.root, role='label')
            if node.description == 'Song title' and node.name]


def xdotool(*args):
    """Runs xdotool with ARGS (any values) and returns what it printed."""
    result = subprocess.run(['xdotool', *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f'xdotool {" ".join(map(str, args))}: {result.stderr.strip()}')
    return result.stdout.strip()


def x_window(title):
    """The visible X window titled TITLE."""
    def look():
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                             capture_output=True, text=True).stdout.split()
        return out[0] if out else None
    return wait_for(f'the X window "{title}"', look)


def window_geometry(window):
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


def place_drag_source():
    """Puts the ts-drag-source window beside Tunescope's (without a window
    manager both open at 0,0) and returns both centres: (source, target)."""
    source_window = x_window('Drag Source')
    target_window = x_window('Tunescope')
    xdotool('windowmove', target_window, 0, 0)
    xdotool('windowmove', source_window, 960, 100)
    wait_for('the drag source to move', lambda: window_geometry(source_window)[0] >= 960)
    sx, sy, sw, sh = window_geometry(source_window)
    tx, ty, tw, th = window_geometry(target_window)
    return (sx + sw // 2, sy + sh // 2), (tx + tw // 2, ty + th // 2)


def main_menu_button(app):
    """The main menu's button: GtkMenuButton shows as a push button holding
    the clickable one."""
    def look():
        app.check_alive()
        return [node for node in find_all(app.root, name='Main Menu')
                if 'click' in actions(node)]
    return wait_for('the main menu button', look)[0]


def parse_count(text):
    """25,309 / 25.309 / 25 309 (any locale's grouping) -> 25309."""
    digits = re.sub(r'\D', '', text or '')
    return int(digits) if digits else None


def wait_for_track_count(app, timeout=60.0):
    def look():
        app.check_alive()
        return app.value_beside('Tracks', pattern=r'^[\d\s.,\u00a0\u202f\u2009\']+$')
    return parse_count(wait_for('the summary\'s track count', look, timeout))


def env_without_covers():
    """The environment for an app whose covers all fail, quietly: nothing
    listens on port 9 here."""
    env = dict(os.environ)
    env['TUNESCOPE_OEMBED_URL'] = 'http://127.0.0.1:9/oembed'
    return env


def real_subset_or_skip():
    """The real subset's data.csv from ../shared; exits 77 (skipped) without
    it, or fails under CI=true, which always has it."""
    shared = os.environ.get('TS_SHARED_DIR', '')
    data = os.path.join(shared, 'data', 'spotify', 'real-subset', 'data.csv')
    if not os.path.isfile(data):
        if os.environ.get('CI') == 'true':
            log(f'FAIL: {data} is missing, and CI always has ../shared')
            sys.exit(1)
        log(f'SKIP: {data} is missing (../shared is not beside the checkout)')
        sys.exit(77)
    return data


def labels_outside_lists(app, pattern):
    """The labels matching PATTERN outside the song lists (most of the tree;
    a toast lasts seconds, a full walk about as long on a busy machine)."""
    found = []

    def walk(node):
        try:
            role = node.getRoleName()
            if role == 'list':
                return
            if role == 'label' and re.search(pattern, node.name or ''):
                found.append(node.name)
            children = list(node)
        except Exception:
            return
        for child in children:
            walk(child)
    walk(app.root)
    return found


def run(main):
    """Runs MAIN(args) and turns its outcome into an exit status."""
    try:
        main()
    except Failure as error:
        log(f'FAIL: {error}')
        return 1
    return 0

def screenshot(name, directory=None, settle=0.0):
    """Saves the screen as NAME (.png added) in DIRECTORY, by default
    $TS_SCREENSHOT_DIR; does nothing without one. SETTLE: seconds to let
    the window draw first."""
    directory = directory or os.environ.get('TS_SCREENSHOT_DIR')
    if not directory:
        return
    time.sleep(settle)
    if not name.endswith('.png'):
        name += '.png'
    subprocess.run(['import', '-window', 'root', os.path.join(directory, name)], check=False)


def map_description(app, pattern, timeout=60):
    """The embedding map's accessible description once it matches PATTERN
    (it changes as the space's model and the query arrive); the ones seen
    are logged if it never does."""
    seen = []

    def look():
        app.check_alive()
        for node in find_all(app.root, name='Embedding map'):
            if node.description not in seen:
                seen.append(node.description)
            if node.description and re.search(pattern, node.description):
                return node.description
        return None
    try:
        return wait_for(f'the map to say /{pattern}/', look, timeout=timeout)
    except Failure:
        log(f'the map said: {seen}')
        raise
