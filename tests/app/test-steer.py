# SPDX-License-Identifier: GPL-3.0-or-later
#
# Steering Discover with the feature sliders: picks a song, opens the
# Steer panel, reads the Energy slider (the song's own energy), drags it to
# its maximum through the AT-SPI Value interface, and sees the results
# change to what the CLI's `similar --song --features energy=max` finds,
# the status saying so; Reset brings back the song's energy, the plain
# query and its results. An artist's sliders start at their mean, and the
# steered results leave their songs out. The genre space says it cannot
# be steered.

import argparse
import ast
import csv
import json
import subprocess
import sys
import time

import tsgui

QUERY = 'Bohemian Rhapsody'
SONG_ID = '2YSbHu9XF4bNYWt3MnIhgE'
ARTIST = 'Queens of the Stone Age'
SONG_STATUS = 'Songs like “Bohemian Rhapsody” by Panic! At The Disco'
STEERED_STATUS = 'Like “Bohemian Rhapsody” by Panic! At The Disco but with more energy'


def wait_for_first(app, what, first, top=None):
    """Waits for the list to start with @first (and @top, when given)."""
    def look():
        app.check_alive()
        titles = tsgui.result_titles(app)
        if len(titles) < 5 or titles[0] != first or (top and titles[:len(top)] != top):
            return None
        return titles
    try:
        titles = tsgui.wait_for(what, look, timeout=30)
    except tsgui.Failure:
        raise tsgui.Failure(f'{what}: the list starts {tsgui.result_titles(app)[:5]}, '
                            f'expected {first!r}') from None
    tsgui.log(f'{what}: {titles[:5]}')
    return titles


def cli_first(cli, data, *extra):
    out = subprocess.run([cli, 'similar', '--song', SONG_ID, '-n', '1', '--data', data,
                          '--json'] + list(extra),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)['results'][0]['name']


def song_energy(data):
    """The picked song's energy, from the CSV itself."""
    with open(data, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            if row['id'] == SONG_ID:
                return float(row['energy'])
    raise tsgui.Failure(f'{SONG_ID} is not in {data}')


def artist_songs(data):
    """The artist's songs: their names and mean energy, from the CSV."""
    names, energies = set(), []
    with open(data, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            if ARTIST in ast.literal_eval(row['artists']):
                names.add(row['name'])
                energies.append(float(row['energy']))
    return names, sum(energies) / len(energies)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--cli', required=True)
    args = parser.parse_args()

    data = tsgui.real_subset_or_skip()
    app = tsgui.App([args.app, data])
    try:
        try:
            tsgui.wait_for_track_count(app)
            tsgui.click(tsgui.clickable(app, 'Discover'))
            app.find('the search entry', name='Search songs and artists')
            time.sleep(0.5)
            tsgui.xdotool('type', '--delay', '30', QUERY)
            app.find('a suggestion', name=QUERY, role='label')
            tsgui.xdotool('key', 'Return')
            app.find('the song query in the status', name=SONG_STATUS, timeout=60)
            plain = wait_for_first(app, 'the similar songs', cli_first(args.cli, data))

            tsgui.click(tsgui.clickable(app, 'Steer'))
            energy = app.find('the Energy slider', name='Energy', role='slider')
            value = energy.queryValue()
            start = value.currentValue
            tsgui.log(f'energy slider: {start} in [{value.minimumValue}, {value.maximumValue}]')
            want = song_energy(data)
            if abs(start - want) > 1e-6:
                raise tsgui.Failure(f'the slider starts at {start}, the song has {want}')
            if not value.maximumValue > start:
                raise tsgui.Failure('the Energy slider is already at its maximum')
            for name in ('Danceability', 'Valence', 'Tempo', 'Loudness', 'Year'):
                app.find(f'the {name} slider', name=name, role='slider')

            top = value.maximumValue
            value.currentValue = top
            app.find('the steered status', name=STEERED_STATUS, timeout=30)
            want_first = cli_first(args.cli, data, '--features', f'energy={top!r}')
            # The tree may be read while the list refills: wait for it to settle.
            steered = wait_for_first(app, 'the steered results', want_first)
            if QUERY in steered[:1]:
                raise tsgui.Failure('the picked song is among its own results')

            tsgui.click(tsgui.clickable(app, 'Reset'))
            app.find('the song query after Reset', name=SONG_STATUS, timeout=30)
            if abs(energy.queryValue().currentValue - start) > 1e-6:
                raise tsgui.Failure(f'Reset left energy at {energy.queryValue().currentValue}')
            wait_for_first(app, 'the results after Reset', plain[0], plain[:5])

            # An artist: the sliders take their mean; steered, their own songs stay out.
            tsgui.xdotool('key', 'ctrl+f')
            time.sleep(0.3)
            tsgui.xdotool('type', '--delay', '20', ARTIST)
            app.find('the artist suggestion', name='Artist', role='label')
            tsgui.xdotool('key', 'Return')
            app.find('the artist query', name=f'Songs like {ARTIST}', timeout=60)
            names, mean = artist_songs(data)
            energy = app.find('the Energy slider', name='Energy', role='slider')
            value = energy.queryValue()
            if abs(value.currentValue - mean) > 1e-6:
                raise tsgui.Failure(f'the slider is at {value.currentValue}, their mean {mean}')
            value.currentValue = value.maximumValue
            app.find('the steered artist', name=f'Like {ARTIST} but with more energy',
                     timeout=30)
            time.sleep(1)
            theirs = [title for title in tsgui.result_titles(app) if title in names]
            if len(tsgui.result_titles(app)) < 5 or theirs:
                raise tsgui.Failure(f'steered artist results {tsgui.result_titles(app)[:5]}, '
                                    f'theirs among them: {theirs}')
            tsgui.log(f'like {ARTIST} with more energy: {tsgui.result_titles(app)[:5]}')

            # The genre space cannot take features: the panel says so.
            combo = app.find('the space drop-down', name='Space', role='combo box')
            tsgui.click(combo[0])
            app.find('the genre item', name='Genre similarity', role='label')
            time.sleep(0.5)
            tsgui.xdotool('key', 'Down', 'Down', 'Down', 'Return')
            app.find('the genre note', pattern=r'genre space cannot be steered')
        except tsgui.Failure:
            app.dump()
            raise
    finally:
        app.stop()


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
