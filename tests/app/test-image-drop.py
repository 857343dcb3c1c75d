# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Image page end to end: trains a tiny cover-art CNN with tunescope-cli
# on covers the test paints (test-cli-cnn.py's), opens their dataset,
# drags a cover from another GTK window onto the Tunescope window with a
# real XDND drag (xdotool drives the pointer), and reads the Image page
# through AT-SPI: the profile and the songs, the nearest the one the CLI
# names. It pastes another cover as image data (Ctrl+V), drags a third
# one as image data only (a texture, as from a browser), then drags a file
# that is not an image and reads the toast, with the page still showing
# the dropped image. Then the same for WebP, which browsers serve and
# libwebp decodes with no gdk-pixbuf loader: a WebP cover shows its songs,
# the CLI's; a WebP bomb is a toast naming it (truncated WebP, whose error
# takes the same way, is left to test-drop-handler: each drag costs time).
#
# With TS_SCREENSHOT_DIR set, it saves screenshots of the page there.

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import tsgui

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'cli'))
_spec = importlib.util.spec_from_file_location('cli_cnn',
                                               os.path.join(HERE, '..', 'cli', 'test-cli-cnn.py'))
cli_cnn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_cnn)

COVER = 3           # the painted cover to drop
PASTED = 5          # the one to paste
DRAGGED_DATA = 7    # the one dragged as image data
BAD = 'text.jpg'    # a text file named as an image
ART = os.path.join(HERE, '..', 'fixtures', 'art')
WEBPS = ('lossy.webp', 'lossless.webp', 'animated.webp')
BAD_WEBP = 'bomb.webp'  # a header declaring 16384 × 16384 pixels


def drag_file(drag_source, path, seen, attempts=3, mode=None):
    """Drags PATH from a ts-drag-source window onto Tunescope until SEEN()
    returns something (a drag under Xvfb now and then gets lost). MODE
    '--texture' drags the image data instead of the file."""
    helper = subprocess.Popen([drag_source, *([mode] if mode else []), path])
    try:
        source, target = tsgui.place_drag_source()
        for attempt in range(1, attempts + 1):
            tsgui.log(f'drag {os.path.basename(path)}, attempt {attempt}')
            tsgui.drag(source, target)
            try:
                return tsgui.wait_for(f'the drop of {os.path.basename(path)}', seen, timeout=20)
            except tsgui.Failure as error:
                tsgui.log(f'nothing after attempt {attempt}: {error}')
        raise tsgui.Failure(f'dropping {path} never showed anything')
    finally:
        helper.kill()
        helper.wait()




def train(cli, home):
    """Paints the covers, collects them and trains the CNN into this test's
    XDG_DATA_HOME. Returns the data.csv."""
    data, covers = cli_cnn.paint_covers(home)
    started = time.monotonic()
    cli_cnn.train_tiny_cnn(cli, data, covers)
    tsgui.log(f'trained the CNN in {time.monotonic() - started:.1f} s')
    return data, covers


def expected_songs(cli, data, image):
    out = subprocess.run([cli, '--data', data, 'similar', '--image', image, '--limit', '5',
                          '--json'], check=True, capture_output=True, text=True).stdout
    return [result['name'] for result in json.loads(out)['results']]


def drop_webps(app, cli, drag_source, data):
    """Drops a WebP cover and reads its songs, then a WebP bomb and its
    toast; the page keeps the good one."""
    shown_before = tsgui.result_titles(app)
    # A fixture whose nearest song differs from the one on the page, so
    # that the wait below sees the new results, not the old ones.
    for name in WEBPS:
        want = expected_songs(cli, data, os.path.join(ART, name))
        if not shown_before or want[0] != shown_before[0]:
            break
    status = f'Songs that sound like “{name}”'

    def results():
        app.check_alive()
        if not tsgui.find_all(app.root, name=status, role='label'):
            return None
        shown = tsgui.result_titles(app)
        return shown if shown and shown[0] == want[0] else None
    shown = drag_file(drag_source, os.path.join(ART, name), results)
    tsgui.log(f'{name}: songs {shown[:5]}; the CLI says {want}')
    tsgui.screenshot('image-webp.png', settle=1.0)

    def toast():
        app.check_alive()
        found = tsgui.find_all(app.root, pattern=re.escape(BAD_WEBP) + '” is ')
        return found[0].name if found else None
    message = drag_file(drag_source, os.path.join(ART, BAD_WEBP), toast)
    tsgui.log(f'toast: {message}')
    if 'too large' not in message:
        raise tsgui.Failure(f'the toast does not say why: {message!r}')
    if not tsgui.find_all(app.root, name=status, role='label'):
        raise tsgui.Failure('the WebP bomb changed the page')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--drag-source', required=True)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix='ts-image-drop-', dir=os.environ.get('XDG_CACHE_HOME'))
    data, covers = train(args.cli, home)
    cover = os.path.join(covers, cli_cnn.song_id(COVER) + '.png')
    want = expected_songs(args.cli, data, cover)
    bad = os.path.join(home, BAD)
    with open(bad, 'wb') as out:
        out.write(cli_cnn.bad_images()[BAD])

    app = tsgui.App([args.app, data])
    try:
        try:
            tsgui.wait_for_track_count(app)
            status = f'Songs that sound like “{os.path.basename(cover)}”'

            def image_shown():
                app.check_alive()
                return tsgui.find_all(app.root, name=status, role='label')
            drag_file(args.drag_source, cover, image_shown)
            tsgui.log('the Image page shows the dropped cover')

            def profile():
                app.check_alive()
                for node in tsgui.find_all(app.root):
                    if (node.description or '').startswith('Predicted profile: energy'):
                        return node.description
                return None
            tsgui.log('profile: ' + tsgui.wait_for('the predicted profile', profile))

            def titles():
                app.check_alive()
                names = [node.name for node in tsgui.find_all(app.root, role='label')
                         if node.description == 'Song title' and node.name]
                return names if len(names) >= 3 else None
            shown = tsgui.wait_for('the matching songs', titles)
            tsgui.log(f'songs: {shown[:5]}; the CLI says {want}')
            if shown[0] != want[0]:
                raise tsgui.Failure(f'first song {shown[0]!r}, the CLI says {want[0]!r}')
            tsgui.screenshot('image-drop.png', settle=1.0)

            # Paste: another program owns the clipboard with image data.
            helper = subprocess.Popen([args.drag_source, '--clipboard',
                                       os.path.join(covers, cli_cnn.song_id(PASTED) + '.png')])
            try:
                tsgui.x_window('Clipboard Source')
                tsgui.xdotool('windowfocus', tsgui.x_window('Tunescope'))
                time.sleep(0.5)
                tsgui.xdotool('key', 'ctrl+v')
                status = 'Songs that sound like “the pasted image”'
                app.find('the pasted image', name=status, role='label')
                tsgui.log('the pasted image is shown')
            finally:
                helper.kill()
                helper.wait()

            status = 'Songs that sound like “the dropped image”'
            drag_file(args.drag_source,
                      os.path.join(covers, cli_cnn.song_id(DRAGGED_DATA) + '.png'),
                      lambda: tsgui.find_all(app.root, name=status, role='label'),
                      mode='--texture')
            tsgui.log('the image data dropped is shown')

            def toast():
                app.check_alive()
                found = tsgui.find_all(app.root, pattern=BAD.replace('.', r'\.') + '.*image')
                return found[0].name if found else None
            message = drag_file(args.drag_source, bad, toast)
            tsgui.log(f'toast: {message}')
            if 'not an image' not in message:
                raise tsgui.Failure(f'the toast does not say why: {message!r}')
            if not tsgui.find_all(app.root, name=status, role='label'):
                raise tsgui.Failure('the bad image changed the page')
            tsgui.screenshot('image-bad.png', settle=1.0)
            drop_webps(app, args.cli, args.drag_source, data)
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
