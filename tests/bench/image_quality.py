#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the image search is worth on real covers, measured through
# tunescope-cli as a user runs it, in a fresh XDG home:
#   covers collect (album_art_256, matched against real-subset/data.csv)
#   train cnn (the pretrained backbone; a fifth of the covers held out by
#              a hash of the file name, never trained on)
#   similar --image COVER --data tidytuesday/spotify_songs.csv --limit 10
#     for every held-out cover of the six genres TidyTuesday labels
# and prints one JSON line: the share of results in the cover's genre
# against the genres' base rate, the mean Jaccard overlap of two covers'
# top-10 lists (50 covers), the heads' per-feature validation MSE against
# the mean's, the genre head's accuracy, and the heads' training time on
# more than 1,600 covers (album_art_256 and album_art_resized, features
# cached by a first run).
#   image_quality.py CLI SHARED_DATA_DIR [TRAIN CNN OPTIONS...]
# With options (e.g. --backbone none, the CNN trained from scratch), only
# the quality is measured, of the model those options train.
import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

GENRES = {"Rock": "rock", "R&B": "r&b", "Dance": "edm", "Hip-Hop": "rap", "Pop": "pop",
          "Latin": "latin"}


def fnv1a(text):
    h = 2166136261
    for b in text.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def held_out(name):
    """The rule ts-cnn-pretrained.c holds covers out by (val_split 0.2)."""
    return fnv1a(name) % 1000 < 200


def cover_genre(name):
    stem = os.path.splitext(name)[0]
    return GENRES.get(stem.rsplit("_", 1)[1]) if "_" in stem else None


def main():
    cli, shared, train_args = sys.argv[1], sys.argv[2], sys.argv[3:]
    art = os.path.join(shared, "extras", "cover-art-sabinabains")
    covers, thumbs = os.path.join(art, "album_art_256"), os.path.join(art, "album_art_resized")
    train_data = os.path.join(shared, "real-subset", "data.csv")
    tidy = os.path.join(shared, "extras", "tidytuesday-2020-01-21", "spotify_songs.csv")
    home = tempfile.mkdtemp(prefix="ts-image-quality-")
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_DATA_HOME=os.path.join(home, "data"),
               XDG_CONFIG_HOME=os.path.join(home, "config"), GSETTINGS_BACKEND="memory")
    env.pop("TUNESCOPE_DATA", None)

    def run(*args):
        out = subprocess.run([cli, "--json", *args], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"image_quality: {' '.join(args)}: {out.stderr}")
        return json.loads(out.stdout)

    try:
        collected = run("--data", train_data, "covers", "collect", "--source", "folder",
                        "--dir", covers)
        t0 = time.perf_counter()
        report = run("train", "cnn", *train_args)
        cold_s = time.perf_counter() - t0

        genre_of = {}
        with open(tidy, newline="") as f:
            for row in csv.DictReader(f):
                genre_of.setdefault(row["track_id"], row["playlist_genre"])
        base = {g: sum(v == g for v in genre_of.values()) / len(genre_of)
                for g in GENRES.values()}
        names = sorted(n for n in os.listdir(covers)
                       if n.endswith(".jpg") and held_out(n) and cover_genre(n))
        precision, base_rate, lists, steered = [], [], {}, 0
        for name in names:
            answer = run("--data", tidy, "similar", "--image", os.path.join(covers, name),
                         "--limit", "10")
            ids = [r["id"] for r in answer["results"]]
            genre = cover_genre(name)
            precision.append(sum(genre_of.get(i) == genre for i in ids) / len(ids))
            base_rate.append(base[genre])
            lists[name] = set(ids)
            steered += answer["query"].get("steered", False)
        first = list(lists)[:50]
        jaccard = [len(lists[a] & lists[b]) / len(lists[a] | lists[b])
                   for a, b in itertools.combinations(first, 2)]

        big, warm_s = {"train_images": 0, "val_images": 0, "seconds": None}, None
        if not train_args:
            # The heads' training on more than 1,600 covers, their features cached.
            run("--data", train_data, "covers", "collect", "--source", "folder", "--dir", thumbs)
            run("train", "cnn")  # computes and caches the thumbnails' features
            t0 = time.perf_counter()
            big = run("train", "cnn")
            warm_s = time.perf_counter() - t0

        features = report["features"]
        print(json.dumps({
            "covers_collected": collected["total"], "covers_by_genre": collected["by_genre"],
            "held_out_queries": len(names), "steered": steered,
            "genre_precision": sum(precision) / len(precision),
            "genre_base_rate": sum(base_rate) / len(base_rate),
            "jaccard": sum(jaccard) / len(jaccard), "jaccard_covers": len(first),
            "mse_ratio": {f: features[f]["val_mse"] / features[f]["baseline_mse"]
                          for f in features},
            "val_mse": report["val_mse"], "baseline_mse": report["baseline_mse"],
            "val_images": report["val_images"], "train_images": report["train_images"],
            "options": report["options"],
            "genre_accuracy": report["genres"]["accuracy"],
            "genre_baseline_accuracy": report["genres"]["baseline_accuracy"],
            "genre_val_images": report["genres"]["val_images"],
            "first_train_s": cold_s,
            "heads_covers": big["train_images"] + big["val_images"],
            "heads_train_s": big["seconds"], "warm_train_cnn_s": warm_s}))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
