#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a full-size catalogue in the schema of one of the two bigger
Spotify datasets, from the real rows in ../shared, for scale tests and
benchmarks (never for judging recommendations, never committed):

  600k  tracks.csv + artists.csv, as Kaggle's
        yamaerenay/spotify-dataset-19212020-600k-tracks
        (586,672 tracks, 1,162,095 artists)
  1.2m  tracks_features.csv, as Kaggle's rodolfofigueroa/spotify-12m-songs
        (1,204,025 tracks, no popularity, an album per song)

Each song is a jittered resample of a row of real-subset/data.csv, made
the way synthetic/data-170k.csv was (PROVENANCE.md): Gaussian noise (sd
0.05) on the unit-range features, duration and tempo scaled by up to
±20 % / ±10 %, loudness shifted (sd 1.5 dB), popularity by up to ±10, a
fresh 22-character id, and a year drawn anew. Artists keep their names;
their ids are a hash of the name, so artists.csv joins on them, and their
genres come from data_w_genres.csv. In the 1.2M schema songs come in
albums of one artist (1 to 20 tracks, one release date).

The output is written beside a stamp of the arguments; a second run with
the same arguments does nothing. Files appear whole (temp + rename).

  make-catalogue.py --schema 1.2m --out DIR [--rows N] [--seed S]
"""

import argparse
import ast
import csv
import hashlib
import json
import os
import sys

import numpy as np

FULL_ROWS = {"600k": 586672, "1.2m": 1204025}
FULL_ARTISTS_600K = 1162095
ID_ALPHABET = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
UNIT_FEATURES = ["valence", "acousticness", "danceability", "energy", "instrumentalness",
                 "liveness", "speechiness"]

TRACKS_600K_HEADER = [
    "id", "name", "popularity", "duration_ms", "explicit", "artists", "id_artists",
    "release_date", "danceability", "energy", "key", "loudness", "mode", "speechiness",
    "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature"]
TRACKS_1M_HEADER = [
    "id", "name", "album", "album_id", "artists", "artist_ids", "track_number", "disc_number",
    "explicit", "danceability", "energy", "key", "loudness", "mode", "speechiness",
    "acousticness", "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
    "time_signature", "year", "release_date"]


def shared_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "spotify"))


def parse_list(text):
    """A Python list literal as data.csv writes it, or a plain comma list."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(x) for x in ast.literal_eval(text)]
        except (ValueError, SyntaxError):
            return []
    return [x.strip() for x in text.split(",") if x.strip()]


def read_real_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = {}
    for key in rows[0]:
        if key in ("artists", "name", "id", "release_date"):
            columns[key] = [r[key] for r in rows]
        else:
            columns[key] = np.array([float(r[key]) for r in rows])
    columns["artists"] = [parse_list(a) or ["Unknown Artist"] for a in columns["artists"]]
    return columns


def read_genres(path):
    genres = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            genres[row["artists"]] = parse_list(row["genres"])
    return genres


def spotify_ids(rng, n):
    """n random 22-character base62 ids (unique with overwhelming odds)."""
    digits = rng.integers(0, 62, size=(n, 22))
    return [bytes(row).decode("ascii") for row in ID_ALPHABET[digits]]


def artist_id(name):
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    number = int.from_bytes(digest[:17], "big")
    out = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        out.append(chr(ID_ALPHABET[digit]))
    return "".join(out)


def py_list(items):
    """Python's repr of a list of strings, as both datasets write it."""
    return repr(list(items))


def number(x):
    """Python's shortest repr, as pandas writes floats (1.09e-05)."""
    return repr(float(x))


def jitter(real, picks, rng):
    """The resampled rows' features, jittered: a dict of arrays."""
    n = len(picks)
    out = {}
    for key in UNIT_FEATURES:
        out[key] = np.clip(real[key][picks] + rng.normal(0, 0.05, n), 0, 1).round(4)
    out["duration_ms"] = np.maximum(
        1000, (real["duration_ms"][picks] * rng.uniform(0.8, 1.2, n)).round()).astype(np.int64)
    out["tempo"] = np.clip(real["tempo"][picks] * rng.uniform(0.9, 1.1, n), 0, 249).round(3)
    out["loudness"] = np.clip(real["loudness"][picks] + rng.normal(0, 1.5, n), -60, 5).round(3)
    out["popularity"] = np.clip(real["popularity"][picks] + rng.integers(-10, 11, n),
                                0, 100).astype(np.int64)
    for key in ("key", "mode", "explicit"):
        out[key] = real[key][picks].astype(np.int64)
    out["time_signature"] = rng.choice([3, 4, 4, 4, 4, 5], n)
    return out


def release_dates(rng, years):
    """A date in each year: a full date mostly, a year alone sometimes."""
    months = rng.integers(1, 13, len(years))
    days = rng.integers(1, 29, len(years))
    year_only = rng.random(len(years)) < 0.1
    return [f"{y}" if only else f"{y}-{m:02d}-{d:02d}"
            for y, m, d, only in zip(years, months, days, year_only)]


def song_names(rng, real, picks):
    takes = rng.random(len(picks)) < 0.5
    numbers = rng.integers(2, 10, len(picks))
    return [f"{real['name'][p]} (Take {k})" if t else real["name"][p]
            for p, t, k in zip(picks, takes, numbers)]


def write_csv(path, header, rows):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)


def make_600k(real, genres, n, rng, out):
    picks = rng.integers(0, len(real["id"]), n)
    feats = jitter(real, picks, rng)
    years = rng.integers(1921, 2021, n)
    dates = release_dates(rng, years)
    ids = spotify_ids(rng, n)
    names = song_names(rng, real, picks)
    rows = []
    for i, p in enumerate(picks):
        artists = real["artists"][p]
        rows.append((
            ids[i], names[i], feats["popularity"][i], feats["duration_ms"][i],
            feats["explicit"][i], py_list(artists), py_list(artist_id(a) for a in artists),
            dates[i], number(feats["danceability"][i]), number(feats["energy"][i]),
            feats["key"][i], number(feats["loudness"][i]), feats["mode"][i],
            number(feats["speechiness"][i]), number(feats["acousticness"][i]),
            number(feats["instrumentalness"][i]), number(feats["liveness"][i]),
            number(feats["valence"][i]), number(feats["tempo"][i]), feats["time_signature"][i]))
    write_csv(os.path.join(out, "tracks.csv"), TRACKS_600K_HEADER, rows)

    # artists.csv: every artist of the songs, then artists with no song
    # here (most of the real file's), to the real file's size.
    seen = sorted({a for p in set(picks.tolist()) for a in real["artists"][p]})
    n_artists = max(len(seen), round(FULL_ARTISTS_600K * n / FULL_ROWS["600k"]))
    extra_ids = spotify_ids(rng, n_artists - len(seen))
    followers = rng.integers(0, 2_000_000, n_artists)
    popularity = rng.integers(0, 90, n_artists)
    artist_rows = [(artist_id(a), f"{followers[k]}.0", py_list(genres.get(a, [])), a,
                    popularity[k]) for k, a in enumerate(seen)]
    artist_rows += [(extra_ids[k], f"{followers[len(seen) + k]}.0", "[]", f"Artist {k}",
                     popularity[len(seen) + k]) for k in range(len(extra_ids))]
    order = rng.permutation(len(artist_rows))
    write_csv(os.path.join(out, "artists.csv"), ["id", "followers", "genres", "name", "popularity"],
              [artist_rows[k] for k in order])


def make_1m(real, n, rng, out):
    # Albums of one artist: their tracks resample that artist's rows.
    rows_of_artist = {}
    for p, artists in enumerate(real["artists"]):
        rows_of_artist.setdefault(artists[0], []).append(p)
    lead_artists = sorted(rows_of_artist)
    picks = np.empty(n, dtype=np.int64)
    album_of = np.empty(n, dtype=np.int64)
    track_number = np.empty(n, dtype=np.int64)
    album_leads = []
    i = 0
    while i < n:
        size = min(int(rng.integers(1, 21)), n - i)
        lead = lead_artists[int(rng.integers(0, len(lead_artists)))]
        choices = rows_of_artist[lead]
        picks[i:i + size] = [choices[int(k)] for k in rng.integers(0, len(choices), size)]
        album_of[i:i + size] = len(album_leads)
        track_number[i:i + size] = np.arange(1, size + 1)
        album_leads.append(lead)
        i += size
    n_albums = len(album_leads)
    album_ids = spotify_ids(rng, n_albums)
    album_years = rng.integers(1921, 2021, n_albums)
    album_dates = release_dates(rng, album_years)
    album_names = [f"{real['name'][picks[np.searchsorted(album_of, a)]]} (Album {a})"
                   for a in range(n_albums)]
    feats = jitter(real, picks, rng)
    ids = spotify_ids(rng, n)
    names = song_names(rng, real, picks)
    rows = []
    for i, p in enumerate(picks):
        a = album_of[i]
        artists = real["artists"][p]
        rows.append((
            ids[i], names[i], album_names[a], album_ids[a], py_list(artists),
            py_list(artist_id(x) for x in artists), track_number[i], 1,
            "True" if feats["explicit"][i] else "False", number(feats["danceability"][i]),
            number(feats["energy"][i]), feats["key"][i], number(feats["loudness"][i]),
            feats["mode"][i], number(feats["speechiness"][i]), number(feats["acousticness"][i]),
            number(feats["instrumentalness"][i]), number(feats["liveness"][i]),
            number(feats["valence"][i]), number(feats["tempo"][i]), feats["duration_ms"][i],
            f"{feats['time_signature'][i]}.0", album_years[a], album_dates[a]))
    write_csv(os.path.join(out, "tracks_features.csv"), TRACKS_1M_HEADER, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", choices=sorted(FULL_ROWS), required=True)
    parser.add_argument("--out", required=True, help="folder to write into")
    parser.add_argument("--rows", type=int, help="songs (default: the real dataset's count)")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--shared", default=shared_dir(), help="../shared/data/spotify")
    args = parser.parse_args()
    n = args.rows or FULL_ROWS[args.schema]

    real_path = os.path.join(args.shared, "real-subset", "data.csv")
    if not os.path.exists(real_path):
        sys.exit(f"make-catalogue: {real_path} is missing: the real rows come from ../shared")
    os.makedirs(args.out, exist_ok=True)
    stamp_path = os.path.join(args.out, "catalogue-stamp.json")
    stamp = {"schema": args.schema, "rows": n, "seed": args.seed, "version": 1}
    try:
        with open(stamp_path, encoding="utf-8") as f:
            if json.load(f) == stamp:
                return
    except (OSError, ValueError):
        pass

    rng = np.random.default_rng(args.seed)
    real = read_real_rows(real_path)
    if args.schema == "600k":
        make_600k(real, read_genres(os.path.join(args.shared, "data_w_genres.csv")), n, rng,
                  args.out)
    else:
        make_1m(real, n, rng, args.out)
    with open(stamp_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(stamp, f)
    os.replace(stamp_path + ".tmp", stamp_path)


if __name__ == "__main__":
    main()
