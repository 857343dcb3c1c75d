# SPDX-License-Identifier: GPL-3.0-or-later
#
# Opens Explore on the real subset, switches the heat map to Kendall,
# picks two genres and checks that the chart's accessible description
# follows, then exports the chart as SVG through the file chooser.

import argparse
import os
import shutil
import sys
import tempfile
import time

import tsgui


def clickables(app, name, count=1):
    def look():
        app.check_alive()
        found = [node for node in tsgui.find_all(app.root, name=name)
                 if 'click' in tsgui.actions(node)]
        return found if len(found) >= count else None
    return tsgui.wait_for(f'{count} things named "{name}" to click', look)


def clickable(app, name):
    return clickables(app, name)[0]


def chart_description(app):
    charts = tsgui.find_all(app.root, name='Chart', role='image')
    return charts[0].description if charts else ''


def wait_for_description(app, what, predicate, timeout=60):
    def look():
        app.check_alive()
        text = chart_description(app)
        return text if predicate(text) else None
    text = tsgui.wait_for(what, look, timeout)
    tsgui.log(f'the chart says: {text}')
    return text


def check_box(app, name):
    return tsgui.wait_for(f'the "{name}" check box',
                          lambda: tsgui.find_all(app.root, name=name, role='check box'))[0]


def is_checked(node):
    import pyatspi
    return node.getState().contains(pyatspi.STATE_CHECKED)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    args = parser.parse_args()

    data = tsgui.real_subset_or_skip()

    out_dir = tempfile.mkdtemp(prefix='ts-explore-test-')
    app = tsgui.App([args.app, data])
    try:
        try:
            tsgui.wait_for_track_count(app)
            tsgui.click(clickable(app, 'Explore'))
            wait_for_description(app, 'the Pearson heat map',
                                 lambda text: text.startswith('Pearson correlation of 13'))

            tsgui.click(clickable(app, 'Kendall'))
            wait_for_description(app, 'the Kendall heat map',
                                 lambda text: text.startswith('Kendall') and 'strongest' in text)

            # The chart kind, then the genre picker that comes with it (after
            # the kinds in the tree).
            tsgui.click(clickable(app, 'Genres'))
            wait_for_description(app, 'the default genres',
                                 lambda text: 'of 4 genres: rock, jazz, hip hop, classical'
                                 in text)
            tsgui.click(clickables(app, 'Genres', count=2)[-1])
            for name in ('rock', 'jazz', 'hip hop', 'classical'):
                if not is_checked(check_box(app, name)):
                    raise tsgui.Failure(f'"{name}" is a default genre but is not checked')
            tsgui.click(clickable(app, 'Clear'))
            wait_for_description(app, 'no genre', lambda text: text == 'Choose genres to compare')
            # Search, and Enter adds the best match; the search starts afresh.
            for query in ('jazz', 'blues'):
                tsgui.xdotool('type', '--delay', '30', query)
                time.sleep(0.3)
                tsgui.xdotool('key', 'Return')
                time.sleep(0.3)
            text = wait_for_description(app, 'two genres',
                                        lambda text: 'of 2 genres: jazz, blues' in text)
            if 'rock' in text or 'classical' in text:
                raise tsgui.Failure(f'unchosen genres still described: {text}')
            tsgui.xdotool('key', 'Escape')

            # Export as SVG: the menu, then the file chooser's name field.
            path = os.path.join(out_dir, 'two-genres.svg')
            tsgui.click(clickable(app, 'Export the Chart'))
            tsgui.click(app.find('the SVG menu item', name='Export as SVG…', role='menu item'))
            tsgui.wait_for('the file chooser', lambda: any(
                name == 'Export the Chart' for _, name in app.windows()))
            time.sleep(1)
            tsgui.xdotool('key', 'ctrl+a')
            tsgui.xdotool('type', '--delay', '20', path)
            time.sleep(0.3)
            tsgui.xdotool('key', 'Return')
            tsgui.wait_for('the exported file', lambda: os.path.isfile(path))
            with open(path, 'rb') as f:
                contents = f.read()
            if b'<svg' not in contents[:400] or len(contents) < 2000:
                raise tsgui.Failure(f'{path} is not an SVG chart ({len(contents)} bytes)')
            leftovers = [name for name in os.listdir(out_dir) if name != 'two-genres.svg']
            if leftovers:
                raise tsgui.Failure(f'export left {leftovers} beside the file')
            tsgui.log(f'exported {len(contents)} bytes of SVG')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
