# SPDX-License-Identifier: GPL-3.0-or-later
#
# Opens the Models dialog (Ctrl+M) on the real subset with a predictor
# already trained by the CLI and a file of another kind in the models
# folder: sees both listed, trains the autoencoder for 2 epochs, follows
# the loss chart's description epoch by epoch and sees the new model in
# the list; then cancels a 1000-epoch run after its first epochs and sees
# the file unchanged. With --screenshots DIR, also saves what the screen
# showed.

import argparse
import os
import re
import shutil
import subprocess
import time

import tsgui




def open_models_dialog(app):
    """Ctrl+M, again while the main window may not have the focus yet."""
    for attempt in range(3):
        time.sleep(0.5)
        tsgui.xdotool('key', 'ctrl+m')
        def look():
            app.check_alive()
            return [top for top in app.root if top is not None and top.name == 'Models'] or None
        try:
            return tsgui.wait_for('the Models dialog', look, timeout=15)[0]
        except tsgui.Failure:
            tsgui.log('no dialog yet; pressing Ctrl+M again')
    raise tsgui.Failure('Ctrl+M did not open the Models dialog')


def model_rows(app):
    """The titles of the rows of the "Trained models" list."""
    for lst in tsgui.find_all(app.root, name='Trained models'):
        return [row.name for row in lst if row is not None]
    return []


def loss_description(root):
    """The loss chart's description, found under ROOT (the dialog: quicker)."""
    for node in tsgui.find_all(root, name='Loss chart'):
        return node.description
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--other-model', required=True,
                        help='a safetensors file of another kind to list')
    parser.add_argument('--screenshots', default='')
    args = parser.parse_args()

    data = tsgui.real_subset_or_skip()
    models = os.path.join(os.environ['XDG_DATA_HOME'], 'tunescope', 'models')
    os.makedirs(models, exist_ok=True)
    subprocess.run([args.cli, 'train', 'predictor', '--epochs', '2', '--data', data],
                   check=True, capture_output=True)
    shutil.copy(args.other_model, os.path.join(models, 'other.safetensors'))

    app = tsgui.App([args.app, data])
    try:
        tsgui.wait_for_track_count(app)
        dialog = open_models_dialog(app)

        def listed():
            app.check_alive()
            rows = model_rows(app)
            return rows if len(rows) >= 2 else None
        rows = tsgui.wait_for('the trained models', listed)
        tsgui.log(f'listed: {rows}')
        if not any(r.startswith('Popularity Predictor') for r in rows):
            raise tsgui.Failure(f'the CLI\'s predictor is not listed: {rows}')
        if any(r.startswith('Autoencoder') for r in rows):
            raise tsgui.Failure(f'an autoencoder is listed before any was trained: {rows}')
        before = loss_description(dialog)
        if before != 'Loss per epoch: no epoch yet':
            raise tsgui.Failure(f'the loss chart starts as {before!r}')
        tsgui.screenshot(directory=args.screenshots, name='models-listed')

        # The autoencoder, 2 epochs.
        combo = app.find('the model drop-down', name='Model', role='combo box')
        tsgui.click(combo[0])
        app.find('the Autoencoder item', name='Autoencoder', role='label')
        time.sleep(0.3)
        tsgui.xdotool('key', 'Down', 'Return')
        time.sleep(0.3)
        tsgui.screenshot(directory=args.screenshots, name='models-kind')
        epochs = app.find('the epochs spin button', name='Epochs', role='spin button')
        epochs.queryValue().currentValue = 2
        train = [n for n in tsgui.find_all(app.root, name='Train')
                 if 'click' in tsgui.actions(n)][0]
        tsgui.click(train)

        seen = []

        def epoch_two():
            app.check_alive()
            text = loss_description(dialog)
            if text and text not in seen:
                seen.append(text)
                tsgui.log(f'loss chart: {text}')
            return text if text and 'after epoch 2 of 2' in text else None
        final = tsgui.wait_for('the loss chart at epoch 2', epoch_two, timeout=120)
        if not re.search(r'training \d[\d.e-]*, validation \d', final):
            raise tsgui.Failure(f'no training and validation loss in {final!r}')

        def autoencoder_listed():
            app.check_alive()
            rows = model_rows(app)
            return rows if any(r.startswith('Autoencoder') for r in rows) else None
        rows = tsgui.wait_for('the autoencoder in the list', autoencoder_listed, timeout=30)
        tsgui.log(f'listed after training: {rows}')
        if not os.path.isfile(os.path.join(models, 'autoencoder.safetensors')):
            raise tsgui.Failure('no autoencoder.safetensors in the models folder')
        time.sleep(0.5)
        tsgui.screenshot(directory=args.screenshots, name='models-trained')

        # A long run cancelled after its first epoch keeps the model.
        path = os.path.join(models, 'autoencoder.safetensors')
        with open(path, 'rb') as f:
            kept = f.read()
        epochs.queryValue().currentValue = 1000
        tsgui.click(train)

        def started():
            app.check_alive()
            text = loss_description(dialog)
            return text if text and ' of 1000' in text else None
        tsgui.log('loss chart: ' + tsgui.wait_for('the long run\'s first epoch', started, timeout=60))
        cancel = [n for n in tsgui.find_all(dialog, name='Cancel') if 'click' in tsgui.actions(n)]
        if not cancel:
            raise tsgui.Failure('no Cancel button while training')
        tsgui.click(cancel[0])
        app.find('the cancel toast', name='Training cancelled; the previous model is kept',
                 timeout=60)
        stopped = loss_description(dialog)
        tsgui.log(f'cancelled at: {stopped}')
        with open(path, 'rb') as f:
            if f.read() != kept:
                raise tsgui.Failure('a cancelled run replaced the model')
        if args.screenshots:
            # A narrow dialog: rows wrap, the chart still reads.
            tsgui.xdotool('search', '--name', '^Models$', 'windowsize', '360', '700')
            time.sleep(1.0)
            tsgui.screenshot(directory=args.screenshots, name='models-narrow')
    except tsgui.Failure:
        app.dump()
        raise
    finally:
        app.stop()


if __name__ == '__main__':
    raise SystemExit(tsgui.run(main))
