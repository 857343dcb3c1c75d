#!/usr/bin/python3
# test-cli-similar.py: similar songs in every space, metric and query kind, and eval
#
# Runs the built tunescope-cli as a user would.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-similar.py PATH-TO-tunescope-cli [unittest options]
# Reads TS_SOURCE_ROOT and TS_SHARED_DIR from the environment (meson's
# test_env). Under CI=true a missing ../shared fails instead of skipping.

import json
import os
import sys

import cli_test_util
from cli_test_util import (CliTestCase, FIXTURE, shared_path, write_training_csv)

CLI = None


class SimilarTest(CliTestCase):
    def similar(self, *args):
        return self.json_of(self.run_cli("similar", "--data", FIXTURE, "--json", *args))

    def test_song_json_shape(self):
        out = self.similar("--song", "0aaaaaaaaaaaaaaaaaaaa1", "--limit", "3")
        self.assertEqual(out["query"]["kind"], "song")
        self.assertEqual(out["query"]["id"], "0aaaaaaaaaaaaaaaaaaaa1")
        self.assertEqual(out["space"], "base")
        self.assertEqual(out["metric"], "cosine")
        self.assertEqual(len(out["results"]), 3)
        distances = [r["distance"] for r in out["results"]]
        self.assertEqual(distances, sorted(distances))
        for r in out["results"]:
            self.assertEqual(set(r) >= {"id", "name", "artists", "year", "distance", "genres",
                                        "explanation"}, True, r)
            self.assertIsInstance(r["artists"], list)
            self.assertIsInstance(r["genres"], list)
            self.assertNotEqual(r["id"], "0aaaaaaaaaaaaaaaaaaaa1")
            for side in ("close", "differ"):
                self.assertEqual(len(r["explanation"][side]), 3)
                self.assertEqual(set(r["explanation"][side][0]),
                                 {"feature", "query", "result", "difference"})

    def test_song_by_name_and_duplicates(self):
        # "Hello" has two rows (same name and artists): neither comes back.
        out = self.similar("--song", "hello", "--metric", "euclidean", "--limit", "20")
        self.assertEqual(out["query"]["name"], "Hello")
        ids = [r["id"] for r in out["results"]]
        self.assertNotIn("0aaaaaaaaaaaaaaaaaaaa2", ids)
        self.assertNotIn("0aaaaaaaaaaaaaaaaaaaa3", ids)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), 7)  # 9 rows load, one group of two is the query

    def test_every_metric(self):
        for metric in ("cosine", "euclidean", "manhattan", "dot"):
            out = self.similar("--song", "Eres", "--metric", metric, "--limit", "2")
            self.assertEqual(out["metric"], metric)
            self.assertEqual(len(out["results"]), 2)

    def test_artist(self):
        out = self.similar("--artist", "the greeters")
        self.assertEqual(out["query"], {"kind": "artist", "name": "The Greeters"})
        self.assertNotIn("The Greeters", [a["name"] for a in out["similar_artists"]])
        for r in out["results"]:
            self.assertNotIn("The Greeters", r["artists"])

    def test_features(self):
        # Every feature at "Shake It"'s raw values finds it at distance 0.
        out = self.similar("--features", "valence=0.9,year=2020,acousticness=0.05,"
                           "danceability=0.9,duration_ms=160000,energy=0.95,instrumentalness=0,"
                           "key=11,liveness=0.4,loudness=-3,popularity=80,speechiness=0.1,"
                           "tempo=128", "--metric", "euclidean", "--limit", "1")
        self.assertEqual(out["query"]["kind"], "features")
        self.assertEqual(out["query"]["values"]["tempo"], 128)
        self.assertEqual(out["results"][0]["name"], "Shake It")
        self.assertLess(out["results"][0]["distance"], 1e-5)

    def test_playlist_modes(self):
        path = os.path.join(self.home, "mix.m3u8")
        with open(path, "w", encoding="utf-8") as f:
            f.write("#EXTM3U\n#EXTINF:200,The Greeters - Say Hello Again\nsong.mp3\n"
                    "https://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa5?si=x\n"
                    "no track here\n")
        for mode in ("centroid", "vote", "train"):
            out = self.similar("--playlist", path, "--mode", mode)
            self.assertEqual(out["query"]["kind"], "playlist")
            self.assertEqual(out["query"]["mode"], mode)
            self.assertEqual(out["query"]["songs"], 2)
            self.assertEqual(out["query"]["unmatched"], 1)
            ids = [r["id"] for r in out["results"]]
            self.assertNotIn("0aaaaaaaaaaaaaaaaaaaa1", ids)
            self.assertNotIn("0aaaaaaaaaaaaaaaaaaaa5", ids)
            self.assertEqual(out["query"]["report"],
                             [{"line": 5, "status": "unmatched", "text": "no track here"}])
        result = self.run_cli("similar", "--data", FIXTURE, "--playlist", path)
        self.assert_exit(result, 0)
        self.assertIn("mix.m3u8:5: unmatched: no track here", result.stderr)
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--playlist", path,
                                       "--mode", "knn"), 2, "centroid, vote or train")

    def test_output_playlist(self):
        for name, needle in (("out.m3u8", "#EXTM3U"), ("out.csv", "Track URI,"),
                             ("out.txt", "spotify:track:"), ("out.json", "tunescope-playlist")):
            path = os.path.join(self.home, name)
            out = self.similar("--song", "Eres", "--limit", "3", "-o", path)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            self.assertIn(needle, text)
            for r in out["results"]:
                self.assertIn(r["id"], text)
            # The saved file reads back as a playlist of the same songs.
            back = self.similar("--playlist", path, "--limit", "1")
            self.assertEqual(back["query"]["songs"], 3)
            self.assertEqual(back["query"]["report"], [])

    def test_text_output(self):
        result = self.run_cli("similar", "--data", FIXTURE, "--song", "Eres", "--limit", "2")
        self.assert_exit(result, 0)
        self.assertIn("Songs like Eres", result.stdout)
        self.assertIn("alike:", result.stdout)

    def test_unknown_song_suggests(self):
        result = self.run_cli("similar", "--data", FIXTURE, "--song", "Helloo")
        self.assert_error(result, 2, "no song named", "did you mean", "Hello")
        result = self.run_cli("similar", "--data", FIXTURE, "--artist", "Greeterz")
        self.assert_error(result, 2, "no artist named")

    def test_usage(self):
        self.assert_error(self.run_cli("similar", "--data", FIXTURE), 2, "--song")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres",
                                       "--artist", "x"), 2)
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres",
                                       "--metric", "hamming"), 2, "hamming")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres",
                                       "--limit", "0"), 2, "--limit")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--features", "tempi=3"),
                          2, "tempi")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres",
                                       "--space", "moon"), 2, "moon")

    def test_model_spaces_train_on_first_use(self):
        data = os.path.join(self.home, "train.csv")
        write_training_csv(data)
        models = os.path.join(self.home, "data", "tunescope", "models")
        for space in ("predictor", "autoencoder"):
            args = ("similar", "--data", data, "--song", "Song 7", "--space", space, "--limit",
                    "3", "--json")
            first = self.run_cli(*args)
            self.assert_exit(first, 0)
            self.assertIn("Trained the %s model for this dataset" % space, first.stderr)
            cached = [n for n in os.listdir(models) if n.startswith(space + "-")]
            self.assertEqual(len(cached), 1, os.listdir(models))
            # Cached by the dataset's checksum: the second use loads it.
            again = self.run_cli(*args)
            self.assert_exit(again, 0)
            self.assertEqual(again.stderr, "")
            found = json.loads(again.stdout)
            self.assertEqual(found["space"], space)
            self.assertEqual(len(found["results"]), 3)
            self.assertEqual(json.loads(first.stdout)["results"], found["results"])
        # Too little data to train on is the user's input: exit 2.
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres", "--space",
                                       "predictor"), 2, "too few")
        # The genre space learns from artist genres, which the fixture has none of.
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--song", "Eres", "--space",
                                       "genre"), 2, "data_w_genres.csv")

    def test_one_per_album(self):
        albums = os.path.join(os.environ["TS_SOURCE_ROOT"], "tests", "fixtures", "catalogues",
                              "1m", "tracks_features.csv")

        def names(*extra):
            out = self.json_of(self.run_cli("similar", "--data", albums, "--json",
                                            "--song", "0ZZ8ErzhYqyB8ylRaqZHIR", "-n", "6", *extra))
            return [(r["name"], r["album"]) for r in out["results"]]
        every = names()
        one = names("--one-per-album")
        self.assertEqual(len(every), 6)
        self.assertEqual([album for _, album in every].count("The Battle Of Los Angeles"), 5)
        self.assertEqual(one, [every[0], ("Song, With \"Quotes\"", "Duets")])
        # A file without albums says so, and keeps every song.
        result = self.run_cli("similar", "--data", FIXTURE, "--song", "0aaaaaaaaaaaaaaaaaaaa1",
                              "--one-per-album", "--json")
        self.assert_exit(result, 0)
        self.assertIn("names no albums", result.stderr)

    def test_bad_playlist(self):
        path = os.path.join(self.home, "bad.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("Track URI,Track Name\nspotify:track:0aaaaaaaaaaaaaaaaaaaa1,\"Unclosed\n")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--playlist", path), 2,
                          "bad.csv:2:")
        # An empty JSON file parses to no root at all, which logged a
        # critical (an abort under the tests' fatal warnings).
        path = os.path.join(self.home, "empty.json")
        open(path, "w", encoding="utf-8").close()
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--playlist", path), 2,
                          "empty.json:1:")


class EvalTest(CliTestCase):
    def test_no_genres(self):
        self.assert_error(self.run_cli("eval", "--data", FIXTURE), 2, "genre")

    def test_usage(self):
        self.assert_error(self.run_cli("eval", "--data", FIXTURE, "--k", "0"), 2, "--k")
        self.assert_error(self.run_cli("eval", "--data", FIXTURE, "--metric", "x"), 2)

    def test_real_files(self):
        data = shared_path(self, "data/spotify/real-subset/data.csv")
        tidy = shared_path(self, "data/spotify/extras/tidytuesday-2020-01-21/spotify_songs.csv")
        # It trains five models first: 15 s here, 60 s or more under the sanitizers.
        result = self.run_cli("eval", "--data", data, "--tidytuesday", tidy, "--queries", "300",
                              "--json", timeout=240)
        rows = self.json_of(result)
        # base, predictor, autoencoder and genre x 4 metrics, and the two baselines, per file.
        self.assertEqual(len(rows), 2 * (4 * 4 + 2))
        seen = {(r["space"], r["metric"], r["dataset"]): r for r in rows}
        for row in rows:
            self.assertEqual(set(row), {"space", "metric", "dataset", "k", "precision"})
            self.assertEqual(row["k"], 10)
            self.assertTrue(0 <= row["precision"] <= 1)
        for dataset in ("artist-genres", "tidytuesday"):
            base = seen[("base", "euclidean", dataset)]["precision"]
            rand = seen[("random", "none", dataset)]["precision"]
            self.assertGreater(base, 1.8 * rand, dataset)
            self.assertIn(("kaggle", "cosine", dataset), seen)
            # The trained spaces beat random by a wide margin too.
            for space in ("predictor", "autoencoder"):
                for metric in ("cosine", "euclidean", "manhattan"):
                    found = seen[(space, metric, dataset)]["precision"]
                    self.assertGreater(found, 1.5 * rand, (space, metric, dataset))
            # The genre space, learned for similarity, beats the notebook's method.
            kaggle = seen[("kaggle", "cosine", dataset)]["precision"]
            self.assertGreater(seen[("genre", "cosine", dataset)]["precision"], kaggle,
                               dataset)


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
