# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Image page without a model: collects painted covers (test-cli-cnn.py's)
# through the folder chooser, trains the model while the window keeps
# answering, then trains again and cancels: the first model stays, byte for
# byte, with no partial file beside it. The second run would reuse the
# first's cached image features and be done in a blink, so the cache is
# removed first: the run then reads every cover again, long enough to
# cancel.

import argparse
import hashlib
import importlib.util
import os
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

# Enough covers that reading them (the backbone's features, about 40 ms a
# cover, several times that under the sanitizers) lasts long enough to use
# the window meanwhile, and to cancel: the heads themselves train in a
# second, so the model-ready toast would otherwise come, and go, before the
# test looks for it.
N_SONGS = 300


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def wait_for_progress(app, pattern, what):
    """The progress text during training once it matches @pattern."""
    def look():
        app.check_alive()
        found = tsgui.find_all(app.root, pattern=pattern)
        return found[0].name if found else None
    return tsgui.wait_for(what, look, timeout=60, interval=0.05)


def model_ready(app):
    """The ready toast's text, or, once the toast has gone (it shows for a
    few seconds, and a walk of the tree on a loaded machine takes longer),
    the page that only a ready model shows."""
    app.check_alive()
    toasts = tsgui.find_all(app.root, pattern='^The cover-art model is ready')
    if toasts:
        return toasts[0].name
    if tsgui.find_all(app.root, name='Drop an Image'):
        return 'the model is ready (its toast came and went)'
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix='ts-image-train-', dir=os.environ.get('XDG_CACHE_HOME'))
    data, covers = cli_cnn.paint_covers(home, N_SONGS)
    models = os.path.join(os.environ['XDG_DATA_HOME'], 'tunescope', 'models')
    model = os.path.join(models, 'cnn.safetensors')

    app = tsgui.App([args.app, data])
    try:
        try:
            tsgui.wait_for_track_count(app)
            tsgui.click(tsgui.clickable(app, 'Image'))
            app.find('the no-model page', name='No Cover-Art Model Yet')
            app.find('no covers yet', name='No covers collected yet')

            # The folder chooser: type the folder's path, then Enter.
            tsgui.click(tsgui.clickable(app, 'Collect Covers from a Folder…'))
            time.sleep(1.5)
            tsgui.xdotool('key', 'ctrl+l')
            time.sleep(0.3)
            tsgui.xdotool('type', '--delay', '10', covers + '/')
            time.sleep(0.5)
            tsgui.xdotool('key', 'Return')
            app.find('the covers count', name=f'{N_SONGS} covers collected', timeout=60)
            app.find('a time estimate', pattern=r'^Training takes ')
            tsgui.log('collected the covers')

            tsgui.click(tsgui.clickable(app, 'Train the Model'))
            tsgui.log('training: ' + wait_for_progress(app, r'^(Reading covers|Epoch) ',
                                                       'reading or training'))
            # The window answers while it trains: the tree is read, a page shown.
            tsgui.click(tsgui.clickable(app, 'Dataset'))
            tsgui.click(tsgui.clickable(app, 'Image'))
            tsgui.log(tsgui.wait_for('the model ready', lambda: model_ready(app), timeout=240))
            app.find('the empty page', name='Drop an Image')
            if not os.path.isfile(model):
                raise tsgui.Failure(f'no model at {model}')
            before = digest(model)

            # Again, cancelled while it reads the covers: the first model stays.
            cache = os.path.join(os.environ['XDG_CACHE_HOME'], 'tunescope', 'covers',
                                 'features-mobilenetv2.safetensors')
            if not os.path.isfile(cache):
                raise tsgui.Failure(f'no image feature cache at {cache}')
            os.unlink(cache)
            tsgui.click(tsgui.clickable(app, 'Train the Cover-Art Model…'))
            app.find('the model page', name='Cover-Art Model')
            tsgui.click(tsgui.clickable(app, 'Train the Model'))
            tsgui.log('training again: ' + wait_for_progress(app, r'^Reading covers: [1-9]',
                                                             'reading the covers'))
            tsgui.click(tsgui.clickable(app, 'Cancel', sensitive=True))
            app.find('the cancel toast', name='Training cancelled; the previous model is kept',
                     timeout=30)
            if digest(model) != before:
                raise tsgui.Failure('the cancelled run changed the model')
            left = sorted(os.listdir(models))
            if left != ['cnn.safetensors']:
                raise tsgui.Failure(f'the models folder holds {left}')
            tsgui.log('cancelled; the model is unchanged and alone')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
