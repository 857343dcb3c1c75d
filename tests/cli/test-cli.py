#!/usr/bin/python3
# test-cli.py: runs the built tunescope-cli as a user would
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli.py PATH-TO-tunescope-cli [unittest options]
# Reads TS_SOURCE_ROOT and TS_SHARED_DIR from the environment (meson's
# test_env). Under CI=true a missing ../shared fails instead of skipping.

import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import cli_test_util
from cli_test_util import run_on_terminal, start_server, stop_server

CLI = None
SOURCE_ROOT = os.environ.get("TS_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "cli", "fixtures", "tracks.csv")
SERVER = os.path.join(SOURCE_ROOT, "tests", "net", "kaggle-server.py")
HEADER = ("valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,"
          "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,"
          "speechiness,tempo").split(",")
ERROR_PREFIX = "tunescope-cli: error: "


def shared_path(test, relative):
    shared = os.environ.get("TS_SHARED_DIR", os.path.join(SOURCE_ROOT, "..", "shared"))
    path = os.path.join(shared, relative)
    if os.path.exists(path):
        return path
    if os.environ.get("CI", "").lower() == "true":
        test.fail("CI=true but the shared data file %s is missing" % path)
    print("SKIP: needs ../shared/%s, which this checkout does not have" % relative,
          file=sys.stderr)
    test.skipTest("needs ../shared/" + relative)


class CliTestCase(cli_test_util.CliCase):
    def setUp(self):
        # A home of our own: no kaggle.json, no downloaded dataset, no
        # TUNESCOPE_DATA unless a test sets it.
        self.home = tempfile.mkdtemp(prefix="ts-cli-test-")
        self.env = dict(os.environ)
        for name in ("TUNESCOPE_DATA", "TUNESCOPE_KAGGLE_URL", "KAGGLE_USERNAME", "KAGGLE_KEY",
                     "KAGGLE_CONFIG_DIR"):
            self.env.pop(name, None)
        self.env.update(HOME=self.home, XDG_DATA_HOME=os.path.join(self.home, "data"),
                        XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8")

    def run_on_terminal(self, *args, interrupt_on=None):
        """Runs on a pseudo-terminal; sends SIGINT once the output holds
        @interrupt_on. Returns the exit status and the output."""
        return run_on_terminal([CLI] + list(args), dict(self.env, TERM="xterm"),
                               interrupt_on=interrupt_on)

    def assert_error(self, result, code, *needles):
        self.assert_exit(result, code)
        self.assertTrue(result.stderr.startswith(ERROR_PREFIX), result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)

    def json_of(self, result):
        self.assert_exit(result, 0)
        return json.loads(result.stdout)


class UsageTest(CliTestCase):
    def test_version(self):
        result = self.run_cli("--version")
        self.assert_exit(result, 0)
        self.assertRegex(result.stdout, r"^tunescope-cli \d+\.\d+")

    def test_help(self):
        result = self.run_cli("--help")
        self.assert_exit(result, 0)
        for command in ("info", "search", "dataset download", "train predictor|autoencoder"):
            self.assertIn(command, result.stdout)

    def test_command_help(self):
        for command in (("info",), ("search",), ("dataset", "download"), ("train",)):
            with self.subTest(command=command):
                result = self.run_cli(*command, "--help")
                self.assert_exit(result, 0)
                self.assertEqual(result.stdout.count("--json"), 1)
        text = self.run_cli("train", "--help").stdout
        for option in ("--epochs", "--batch-size", "--lr", "--optimizer", "--loss",
                       "--activation", "--hidden", "--dropout", "--seed", "--val-split",
                       "--patience", "--output", "--data"):
            self.assertIn(option + "=", text)

    def test_no_command(self):
        result = self.run_cli()
        self.assert_exit(result, 2)
        self.assertIn("Usage", result.stderr)

    def test_unknown_command(self):
        self.assert_error(self.run_cli("frobnicate"), 2, "unknown command", "--help")

    def test_unknown_options(self):
        self.assert_error(self.run_cli("--bogus"), 2, "--bogus")
        self.assert_error(self.run_cli("info", "--bogus", "--data", FIXTURE), 2, "--bogus")
        self.assert_error(self.run_cli("info", "--data", FIXTURE, "extra"), 2, "extra")
        self.assert_error(self.run_cli("dataset"), 2, "download")
        self.assert_error(self.run_cli("dataset", "upload"), 2, "upload")
        self.assert_error(self.run_cli("dataset", "download", "--bogus"), 2, "--bogus")

    def test_search_usage(self):
        self.assert_error(self.run_cli("search", "--data", FIXTURE), 2, "QUERY")
        self.assert_error(self.run_cli("search", "--data", FIXTURE, "  "), 2, "QUERY")
        self.assert_error(self.run_cli("search", "--data", FIXTURE, "--limit", "0", "x"), 2,
                          "--limit")
        self.assert_error(self.run_cli("search", "--data", FIXTURE, "--limit", "many", "x"), 2)


class InfoTest(CliTestCase):
    def test_fixture_json(self):
        info = self.json_of(self.run_cli("info", "--data", FIXTURE, "--json"))
        self.assertEqual(info["rows"], 9)
        self.assertEqual(info["skipped"], 1)
        self.assertEqual(len(info["skipped_reasons"]), 1)
        self.assertRegex(info["skipped_reasons"][0], r"^tracks\.csv:8: \S")
        self.assertEqual(info["years"], [1921, 2020])
        self.assertEqual(sorted(info["columns"]), sorted(HEADER))
        self.assertEqual(info["companions"], [])
        self.assertIsInstance(info["load_ms"], (int, float))
        self.assertGreaterEqual(info["load_ms"], 0)
        self.assertEqual(info["schema"], "kaggle")
        self.assertEqual(info["artists"], 8)

    def test_global_options_before_command(self):
        info = self.json_of(self.run_cli("--data", FIXTURE, "--json", "info"))
        self.assertEqual(info["rows"], 9)

    def test_fixture_text(self):
        result = self.run_cli("info", "--data", FIXTURE)
        self.assert_exit(result, 0)
        self.assertIn("Rows:        9", result.stdout)
        self.assertIn("tracks.csv:8:", result.stdout)
        self.assertEqual(result.stderr, "")

    def test_data_from_environment(self):
        env = dict(self.env, TUNESCOPE_DATA=FIXTURE)
        info = self.json_of(self.run_cli("info", "--json", env=env))
        self.assertEqual(info["rows"], 9)

    def test_no_dataset(self):
        self.assert_error(self.run_cli("info"), 2, "no dataset", "--data")

    def test_missing_file(self):
        missing = os.path.join(self.home, "nowhere", "data.csv")
        self.assert_error(self.run_cli("info", "--data", missing), 2, "data.csv")

    def test_bad_files(self):
        cases = {
            "empty.csv": b"",
            "binary.csv": bytes(range(256)) * 8,
            "nocolumns.csv": b"a,b,c\n1,2,3\n",
        }
        for name, contents in cases.items():
            with self.subTest(name=name):
                path = os.path.join(self.home, name)
                with open(path, "wb") as f:
                    f.write(contents)
                self.assert_error(self.run_cli("info", "--data", path), 2, name)

    def test_real_subset(self):
        path = shared_path(self, "data/spotify/real-subset/data.csv")
        info = self.json_of(self.run_cli("info", "--data", path, "--json"))
        self.assertEqual(info["rows"], 25309)
        self.assertEqual(info["skipped"], 0)
        self.assertEqual(info["skipped_reasons"], [])
        self.assertEqual(info["years"][0], 1921)
        self.assertEqual(len(info["companions"]), 4)


class SearchTest(CliTestCase):
    def search(self, *args):
        return self.json_of(self.run_cli("search", "--data", FIXTURE, "--json", *args))

    def test_exact_name_first(self):
        found = self.search("hello")
        self.assertEqual(found["query"], "hello")
        first = found["results"][0]
        self.assertEqual(first["kind"], "song")
        self.assertEqual(first["name"], "Hello")
        self.assertEqual(first["artists"], "The Greeters")
        self.assertEqual(first["duplicates"], 1)
        self.assertEqual(len(first["ids"]), 2)
        self.assertIn(first["id"], first["ids"])
        names = [hit["name"] for hit in found["results"]]
        self.assertIn("Hello Kitty Band", names)
        self.assertIn("Say Hello Again", names)
        scores = [hit["score"] for hit in found["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_accents_and_case(self):
        first = self.search("CAFE TACVBA")["results"][0]
        self.assertEqual(first["kind"], "artist")
        self.assertEqual(first["name"], "Café Tacvba")

    def test_limit(self):
        self.assertEqual(len(self.search("--limit", "2", "hello")["results"]), 2)

    def test_no_match(self):
        self.assertEqual(self.search("zzzqqq")["results"], [])

    def test_text(self):
        result = self.run_cli("search", "--data", FIXTURE, "hello")
        self.assert_exit(result, 0)
        lines = result.stdout.splitlines()
        self.assertIn("Hello — The Greeters (1991)", lines[0])
        self.assertIn("+1 duplicate", lines[0])

    def test_real_subset(self):
        path = shared_path(self, "data/spotify/real-subset/data.csv")
        found = self.json_of(self.run_cli("search", "--data", path, "--json", "love"))
        self.assertEqual(found["results"][0]["name"].lower(), "love")


class DownloadTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.port = start_server(SERVER)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.server)

    def use_mode(self, mode):
        self.env["TUNESCOPE_KAGGLE_URL"] = "http://127.0.0.1:%d/%s" % (self.port, mode)

    def dest(self):
        return os.path.join(self.home, "dest")

    def test_download_and_no_overwrite(self):
        self.use_mode("redirect")
        result = self.run_cli("dataset", "download", "--dest", self.dest())
        self.assert_exit(result, 0)
        # Not a terminal: no progress bar, nothing at all on stderr.
        self.assertEqual(result.stderr, "")
        self.assertIn("data.csv", result.stdout)
        self.assertIn("data_by_year.csv", result.stdout)
        data = os.path.join(self.dest(), "data.csv")
        self.assertTrue(os.path.isfile(data))
        self.assertFalse(os.path.exists(os.path.join(self.dest(), "README.txt")))
        self.assertEqual(sorted(os.listdir(self.dest())),
                         ["data.csv", "data_by_year.csv", "data_w_genres.csv"])

        mine = b"my own edits\n"
        with open(data, "wb") as f:
            f.write(mine)
        result = self.run_cli("dataset", "download", "--dest", self.dest())
        self.assert_error(result, 2, data, "already exists", "--force")
        with open(data, "rb") as f:
            self.assertEqual(f.read(), mine)

        result = self.run_cli("dataset", "download", "--dest", self.dest(), "--force")
        self.assert_exit(result, 0)
        with open(data, "rb") as f:
            self.assertTrue(f.read().startswith(b"valence,year,"))

    def test_default_dest_then_info(self):
        self.use_mode("ok")
        result = self.run_cli("dataset", "download", "--json")
        downloaded = self.json_of(result)
        expected = os.path.join(self.home, "data", "tunescope", "dataset")
        self.assertEqual(downloaded["dest"], expected)
        self.assertEqual(downloaded["data"], os.path.join(expected, "data.csv"))
        self.assertEqual(downloaded["files"][0]["path"], downloaded["data"])
        self.assertGreater(downloaded["files"][0]["bytes"], 0)
        # With no --data, a dataset downloaded to the default place is used.
        info = self.json_of(self.run_cli("info", "--json"))
        self.assertEqual(info["rows"], 2)

    def test_credentials_from_kaggle_json(self):
        self.use_mode("auth")
        os.makedirs(os.path.join(self.home, ".kaggle"))
        with open(os.path.join(self.home, ".kaggle", "kaggle.json"), "w") as f:
            json.dump({"username": "tuser", "key": "tkey"}, f)
        self.assert_exit(self.run_cli("dataset", "download", "--dest", self.dest()), 0)

    def test_forbidden_guidance(self):
        self.use_mode("forbidden")
        result = self.run_cli("dataset", "download", "--dest", self.dest())
        self.assert_error(result, 1, "Kaggle", "403", "kaggle.json", "Create New Token",
                          "data.csv")
        self.assertFalse(os.path.exists(os.path.join(self.dest(), "data.csv")))

    def test_failures(self):
        for mode, needle in (("error", "500"), ("notzip", "zip"), ("evil", "unsafe"),
                             ("truncated", "cut short")):
            with self.subTest(mode=mode):
                self.use_mode(mode)
                result = self.run_cli("dataset", "download", "--dest", self.dest())
                self.assert_error(result, 1, "Kaggle", needle)

    def test_progress_bar_on_terminal(self):
        self.use_mode("ok")
        status, text = self.run_on_terminal("dataset", "download", "--dest", self.dest())
        self.assertEqual(status, 0)
        self.assertIn("\r", text)
        self.assertIn("Downloading [", text)
        self.assertIn("%", text)
        self.assertIn("data.csv", text)

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

    def test_bad_playlist(self):
        path = os.path.join(self.home, "bad.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("Track URI,Track Name\nspotify:track:0aaaaaaaaaaaaaaaaaaaa1,\"Unclosed\n")
        self.assert_error(self.run_cli("similar", "--data", FIXTURE, "--playlist", path), 2,
                          "bad.csv:2:")


class EvalTest(CliTestCase):
    def test_no_genres(self):
        self.assert_error(self.run_cli("eval", "--data", FIXTURE), 2, "genre")

    def test_usage(self):
        self.assert_error(self.run_cli("eval", "--data", FIXTURE, "--k", "0"), 2, "--k")
        self.assert_error(self.run_cli("eval", "--data", FIXTURE, "--metric", "x"), 2)

    def test_real_files(self):
        data = shared_path(self, "data/spotify/real-subset/data.csv")
        tidy = shared_path(self, "data/spotify/extras/tidytuesday-2020-01-21/spotify_songs.csv")
        result = self.run_cli("eval", "--data", data, "--tidytuesday", tidy, "--queries", "300",
                              "--json")
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


def write_training_csv(path, rows=300):
    """A data.csv whose popularity follows year and energy: something to learn."""
    rng = random.Random(1)
    with open(path, "w") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(rows):
            year = rng.randint(1921, 2020)
            energy = rng.random()
            popularity = int(min(100, 70 * (year - 1921) / 99 + 25 * energy + 5 * rng.random()))
            values = dict(valence=rng.random(), year=year, acousticness=rng.random(),
                          artists="['Artist %d']" % (i % 20), danceability=rng.random(),
                          duration_ms=150000 + 100 * i, energy=energy, explicit=0,
                          id="%022d" % i, instrumentalness=rng.random(), key=i % 12,
                          liveness=rng.random(), loudness=-30 * rng.random(), mode=1,
                          name="Song %d" % i, popularity=popularity, release_date=year,
                          speechiness=rng.random(), tempo=90 + i % 60)
            f.write(",".join("%.4f" % v if isinstance(v, float) else str(v)
                             for v in (values[h] for h in HEADER)) + "\n")


def read_safetensors(path):
    """The header and metadata of a safetensors file, checked against the format."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__")
    end = 0
    for name, t in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = t["data_offsets"]
        assert begin == end and t["dtype"] == "F32", name
        count = 1
        for d in t["shape"]:
            count *= d
        assert stop - begin == 4 * count, name
        end = stop
    assert 8 + n + end == len(blob), "trailing or missing bytes"
    return header, meta


class TrainTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.data = os.path.join(self.home, "data.csv")
        write_training_csv(self.data)
        self.out = os.path.join(self.home, "out", "model.safetensors")

    def train(self, *args):
        return self.run_cli("train", "--data", self.data, "--batch-size", "32", *args)

    def test_predictor_json_and_file(self):
        found = self.json_of(self.train("predictor", "--epochs", "3", "--hidden", "16,8",
                                        "--lr", "0.01", "-o", self.out, "--json"))
        self.assertEqual(found["model"], "predictor")
        self.assertEqual(found["path"], self.out)
        self.assertEqual(found["train_rows"] + found["val_rows"], 300)
        self.assertEqual(found["val_rows"], 30)
        self.assertEqual(found["epochs_run"], 3)
        self.assertEqual(found["embedding_dim"], 8)
        for key in ("loss", "val_loss", "val_mse", "baseline_mse", "r2", "seconds"):
            self.assertIsInstance(found[key], float, key)
        self.assertAlmostEqual(found["r2"], 1 - found["val_mse"] / found["baseline_mse"])
        self.assertEqual(found["options"]["hidden"], [16, 8])
        self.assertEqual(found["options"]["optimizer"], "adam")

        header, meta = read_safetensors(self.out)
        self.assertEqual(meta["model"], "predictor")
        self.assertEqual(json.loads(meta["training"])["epochs"], 3)
        self.assertNotIn("popularity", json.loads(meta["inputs"]))
        self.assertEqual(json.loads(meta["outputs"]), ["popularity"])
        self.assertEqual(json.loads(meta["dataset"])["rows"], 300)
        self.assertEqual(len(json.loads(meta["dataset"])["sha256"]), 64)
        self.assertAlmostEqual(json.loads(meta["validation"])["r2"], found["r2"])
        layers = json.loads(meta["architecture"])["layers"]
        self.assertEqual(layers[0]["type"], "normalization")
        self.assertEqual(layers[-1], {"type": "dense", "units": 1})
        self.assertEqual(header["layers.1.weight"]["shape"], [16, 12])
        self.assertEqual(os.listdir(os.path.dirname(self.out)), ["model.safetensors"])

    def test_autoencoder_default_path_text(self):
        result = self.train("autoencoder", "--epochs", "2", "--hidden", "8,3")
        self.assert_exit(result, 0)
        # Not a terminal: no progress bar.
        self.assertEqual(result.stderr, "")
        path = os.path.join(self.home, "data", "tunescope", "models", "autoencoder.safetensors")
        self.assertIn("Saved " + path, result.stdout)
        self.assertIn("val R²", result.stdout)
        self.assertIn("embedding:         3 dimensions", result.stdout)
        header, meta = read_safetensors(path)
        self.assertEqual(meta["model"], "autoencoder")
        self.assertEqual(header["layers.1.weight"]["shape"], [8, 13])

    def test_embed_after_training(self):
        self.assert_error(self.run_cli("embed", "--data", self.data, "--model", "autoencoder"),
                          1, "no autoencoder model yet", "tunescope-cli train autoencoder")
        self.assert_exit(self.train("autoencoder", "--epochs", "2", "--hidden", "8,3"), 0)

        # Text: one line per song, the id then three numbers.
        text = self.run_cli("embed", "--data", self.data, "--model", "autoencoder")
        self.assert_exit(text, 0)
        lines = text.stdout.splitlines()
        self.assertEqual(len(lines), 300)
        fields = lines[0].split("\t")
        self.assertEqual(len(fields), 4)
        for value in fields[1:]:
            float(value)

        found = self.json_of(self.run_cli("embed", "--data", self.data, "--model",
                                          "autoencoder", "--json"))
        self.assertEqual((found["kind"], found["rows"], found["dim"]), ("autoencoder", 300, 3))
        self.assertEqual(found["songs"][0]["id"], fields[0])
        self.assertEqual(len(found["songs"][0]["embedding"]), 3)
        self.assertAlmostEqual(found["songs"][0]["embedding"][0], float(fields[1]), places=5)

        out = os.path.join(self.home, "embedding.safetensors")
        self.assert_exit(self.run_cli("embed", "--data", self.data, "--model", "autoencoder",
                                      "-o", out), 0)
        header, meta = read_safetensors(out)
        self.assertEqual(header["embedding"]["shape"], [300, 3])
        self.assertEqual(meta["format"], "tunescope-embedding")

        self.assert_error(self.run_cli("embed", "--data", self.data), 2, "--model")
        self.assert_error(self.run_cli("embed", "--data", self.data, "--model",
                                       os.path.join(self.home, "none.safetensors")), 2,
                          "none.safetensors")

    def test_bad_options(self):
        cases = [
            ((), "predictor, autoencoder or genre"),
            (("cnn",), "cnn"),
            (("predictor", "--optimizer", "adagrad"), "adagrad"),
            (("predictor", "--activation", "swish"), "swish"),
            (("predictor", "--loss", "hinge"), "hinge"),
            (("predictor", "--loss", "bce"), "bce"),
            (("predictor", "--hidden", "0"), "--hidden"),
            (("predictor", "--hidden", "64,,32"), "--hidden"),
            (("predictor", "--hidden", ""), "--hidden"),
            (("predictor", "--val-split", "1.5"), "--val-split"),
            (("predictor", "--val-split", "0"), "--val-split"),
            (("predictor", "--epochs", "0"), "--epochs"),
            (("predictor", "--epochs", "ten"), "--epochs"),
            (("predictor", "--batch-size", "-1"), "--batch-size"),
            (("predictor", "--lr", "fast"), "--lr"),
            (("predictor", "--lr", "0"), "--lr"),
            (("predictor", "--dropout", "1"), "--dropout"),
            (("predictor", "--seed", "-3"), "--seed"),
            (("predictor", "--bogus"), "--bogus"),
            (("predictor", "autoencoder"), "autoencoder"),
        ]
        for args, needle in cases:
            with self.subTest(args=args):
                self.assert_error(self.train(*args, "-o", self.out), 2, needle)
        self.assertFalse(os.path.exists(os.path.dirname(self.out)))

    def test_unwritable_output(self):
        plain = os.path.join(self.home, "plain")
        with open(plain, "w") as f:
            f.write("x")
        self.assert_error(self.train("predictor", "-o", self.home), 2, "folder")
        self.assert_error(self.train("predictor", "-o", os.path.join(plain, "m.safetensors")),
                          2, plain)
        if os.path.isdir("/proc"):
            # No new file can be made there, even by root: found before training.
            result = self.train("predictor", "-o", "/proc/m.safetensors")
            self.assert_error(result, 1, "/proc", "cannot write")
            self.assertEqual(result.stdout, "")
        # A failed run leaves an existing model alone.
        os.makedirs(os.path.dirname(self.out))
        with open(self.out, "wb") as f:
            f.write(b"old")
        tiny = os.path.join(SOURCE_ROOT, "tests", "cli", "fixtures", "tracks.csv")
        result = self.run_cli("train", "predictor", "--data", tiny, "-o", self.out)
        self.assert_error(result, 2, "too few")
        with open(self.out, "rb") as f:
            self.assertEqual(f.read(), b"old")
        self.assertEqual(os.listdir(os.path.dirname(self.out)), ["model.safetensors"])

    def test_progress_bar_then_ctrl_c(self):
        status, text = self.run_on_terminal("train", "predictor", "--data", self.data,
                                            "--epochs", "100000", "--patience", "0",
                                            "-o", self.out, interrupt_on=b"val ")
        self.assertEqual(status, 1)
        self.assertIn("Training [", text)
        self.assertRegex(text, r"epoch \d+/100000 loss [0-9.]+ val [0-9.]+ ETA")
        self.assertIn(ERROR_PREFIX + "cancelled", text)
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(os.listdir(os.path.dirname(self.out)), [])

    def test_comma_locale(self):
        # Numbers are read and printed with a dot whatever the locale.
        available = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
        if "de_DE.utf8" not in available.split():
            if os.environ.get("CI", "").lower() == "true":
                self.fail("CI=true but the de_DE.UTF-8 locale is missing")
            self.skipTest("needs the de_DE.UTF-8 locale")
        env = dict(self.env, LC_ALL="de_DE.UTF-8")
        result = self.run_cli("train", "predictor", "--data", self.data, "--epochs", "1",
                              "--lr", "0.01", "--val-split", "0.2", "-o", self.out, env=env)
        self.assert_exit(result, 0)
        self.assertIn("on 60 held-out rows", result.stdout)
        self.assertRegex(result.stdout, r"val loss \(mse\): +\d+\.\d+")
        self.assertNotRegex(result.stdout, r"\d,\d")
        self.assertEqual(json.loads(read_safetensors(self.out)[1]["training"])["lr"], 0.01)

    def test_real_subset_beats_the_mean(self):
        path = shared_path(self, "data/spotify/real-subset/data.csv")
        found = self.json_of(self.run_cli("train", "predictor", "--data", path, "--epochs", "3",
                                          "-o", self.out, "--json"))
        self.assertGreater(found["r2"], 0.2)
        self.assertEqual(found["train_rows"] + found["val_rows"], 25309)


CORR_FIXTURE = os.path.join(SOURCE_ROOT, "tests", "fixtures", "corr-real-subset.json")
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-"}


class CorrTest(CliTestCase):
    def corr(self, *args, data=FIXTURE):
        return self.json_of(self.run_cli("corr", "--data", data, "--json", *args))

    def test_json_shape(self):
        found = self.corr("--features", "valence, energy,tempo", "--method", "spearman")
        self.assertEqual(list(found.keys()), ["method", "n", "features", "matrix"])
        self.assertEqual(found["method"], "spearman")
        rows = self.json_of(self.run_cli("info", "--data", FIXTURE, "--json"))["rows"]
        self.assertEqual(found["n"], rows)
        self.assertEqual(found["features"], ["valence", "energy", "tempo"])
        self.assertEqual(len(found["matrix"]), 3)
        for i, row in enumerate(found["matrix"]):
            self.assertEqual(len(row), 3)
            self.assertAlmostEqual(row[i], 1.0, places=12)
            for j, value in enumerate(row):
                self.assertAlmostEqual(value, found["matrix"][j][i], places=12)
                self.assertLessEqual(abs(value), 1.0 + 1e-12)

    def test_all_features_by_default(self):
        found = self.corr()
        self.assertEqual(found["method"], "pearson")
        self.assertEqual(len(found["features"]), 13)

    def test_constant_column_is_null(self):
        path = os.path.join(self.home, "data.csv")
        with open(FIXTURE) as source, open(path, "w") as f:
            lines = source.read().splitlines()
            f.write(lines[0] + "\n")
            tempo = HEADER.index("tempo")
            for line in lines[1:]:
                fields = line.split(",")
                # The artists field has no commas in this fixture.
                fields[len(fields) - len(HEADER) + tempo] = "100.0"
                f.write(",".join(fields) + "\n")
        found = self.corr("--features", "valence,tempo", data=path)
        self.assertEqual(found["matrix"][0][0], 1.0)
        self.assertIsNone(found["matrix"][0][1])
        self.assertIsNone(found["matrix"][1][1])
        text = self.run_cli("corr", "--data", path, "--features", "valence,tempo")
        self.assert_exit(text, 0)
        self.assertIn("n/a", text.stdout)

    def test_text_table(self):
        result = self.run_cli("corr", "--data", FIXTURE, "--features", "valence,danceability")
        self.assert_exit(result, 0)
        lines = result.stdout.splitlines()
        self.assertIn("pearson", lines[0])
        table = [line for line in lines[2:] if line.strip()][:3]
        self.assertEqual(table[0].split(), ["valence", "danceability"])
        self.assertTrue(table[1].startswith("valence "))
        self.assertIn("1.000", table[1])
        # Aligned: every line of the table as wide as the header.
        self.assertEqual(len({len(line) for line in table}), 1, table)

    def test_unknown_feature_suggests(self):
        self.assert_error(self.run_cli("corr", "--data", FIXTURE, "--features", "valance"),
                          2, "valance", "valence")
        self.assert_error(self.run_cli("corr", "--data", FIXTURE, "--features", "DANCE"),
                          2, "danceability")

    def test_decimal_point_in_any_locale(self):
        self.env["LC_ALL"] = "de_DE.UTF-8"
        found = self.corr("--features", "valence,energy")
        self.assertAlmostEqual(found["matrix"][0][1], found["matrix"][1][0])
        text = self.run_cli("corr", "--data", FIXTURE, "--features", "valence,energy")
        self.assert_exit(text, 0)
        self.assertIn("1.000", text.stdout)
        self.assertNotIn("1,000", text.stdout)

    def test_unknown_method(self):
        self.assert_error(self.run_cli("corr", "--data", FIXTURE, "--method", "kendal"), 2,
                          "kendall")

    def test_real_subset_matches_scipy(self):
        path = shared_path(self, "data/spotify/real-subset/data.csv")
        with open(CORR_FIXTURE) as f:
            reference = json.load(f)
        for method in ("pearson", "spearman", "kendall"):
            with self.subTest(method=method):
                found = self.corr("--method", method, data=path)
                self.assertEqual(found["method"], method)
                self.assertEqual(found["n"], reference["n"])
                self.assertEqual(found["features"], reference["features"])
                for i, row in enumerate(reference[method]):
                    for j, value in enumerate(row):
                        self.assertAlmostEqual(found["matrix"][i][j], value, delta=1e-9,
                                               msg="%s[%d][%d]" % (method, i, j))


class ChartTest(CliTestCase):
    def chart(self, kind, name, *args, data=FIXTURE):
        out = os.path.join(self.home, name)
        result = self.run_cli("chart", kind, "--data", data, "-o", out, *args)
        self.assert_exit(result, 0)
        return out

    def assert_chart_file(self, path, min_size=2000):
        with open(path, "rb") as f:
            contents = f.read()
        ext = os.path.splitext(path)[1].lower()
        if ext == ".svg":
            self.assertIn(b"<svg", contents[:400])
        else:
            self.assertTrue(contents.startswith(MAGIC[ext]), contents[:16])
        self.assertGreater(len(contents), min_size)
        # Written atomically: nothing else left beside it.
        self.assertEqual([n for n in os.listdir(os.path.dirname(path))
                          if n.startswith(".") or n.endswith("~")], [])

    def test_formats_by_extension(self):
        for name in ("heat.png", "heat.svg", "heat.PDF"):
            with self.subTest(name=name):
                self.assert_chart_file(self.chart("heatmap", name, "--method", "kendall",
                                                  "--width", "500", "--height", "400"))

    def test_png_size_and_theme(self):
        path = self.chart("timeline", "t.png", "--width", "640", "--height", "360",
                          "--theme", "dark", "--features", "energy,tempo")
        with open(path, "rb") as f:
            header = f.read(24)
        self.assertEqual(int.from_bytes(header[16:20], "big"), 640)
        self.assertEqual(int.from_bytes(header[20:24], "big"), 360)

    def test_overwrites_whole(self):
        path = os.path.join(self.home, "old.svg")
        with open(path, "w") as f:
            f.write("old contents " * 1000)
        self.chart("artists", "old.svg", "--artists", "The Greeters")
        self.assert_chart_file(path)
        with open(path, "rb") as f:
            self.assertNotIn(b"old contents", f.read())

    def test_bad_output(self):
        self.assert_error(self.run_cli("chart", "heatmap", "--data", FIXTURE, "-o",
                                       os.path.join(self.home, "x.gif")), 2, ".png")
        self.assertFalse(os.path.exists(os.path.join(self.home, "x.gif")))
        self.assert_error(self.run_cli("chart", "heatmap", "--data", FIXTURE), 2, "-o")
        self.assert_error(self.run_cli("chart", "heatmpa", "--data", FIXTURE, "-o",
                                       os.path.join(self.home, "x.png")), 2, "heatmap")
        self.assert_error(self.run_cli("chart", "heatmap", "--data", FIXTURE, "--theme", "drak",
                                       "-o", os.path.join(self.home, "x.png")), 2, "dark")
        missing = os.path.join(self.home, "no", "such", "x.pdf")
        self.assert_error(self.run_cli("chart", "heatmap", "--data", FIXTURE, "-o", missing), 1)
        self.assertEqual(os.listdir(self.home), [])

    def test_no_genres(self):
        # The fixture has no data_w_genres.csv beside it: no genre is known.
        out = os.path.join(self.home, "g.png")
        self.assert_error(self.run_cli("chart", "genres", "--data", FIXTURE, "-o", out), 2,
                          "no genres")
        self.assertFalse(os.path.exists(out))

    def test_unknown_names_suggest(self):
        out = os.path.join(self.home, "x.png")
        self.assert_error(self.run_cli("chart", "timeline", "--data", FIXTURE, "--features",
                                       "valance", "-o", out), 2, "valence")
        self.assert_error(self.run_cli("chart", "artists", "--data", FIXTURE, "--artists",
                                       "The Greters", "-o", out), 2, "The Greeters")
        self.assertFalse(os.path.exists(out))

    def test_real_subset(self):
        path = shared_path(self, "data/spotify/real-subset/data.csv")
        for kind, ext in (("heatmap", ".pdf"), ("timeline", ".svg"), ("genres", ".png"),
                          ("artists", ".svg")):
            with self.subTest(kind=kind):
                self.assert_chart_file(self.chart(kind, kind + ext, data=path), 5000)
        self.assert_chart_file(self.chart("genres", "two.svg", "--genres", "jazz, rock",
                                          "--features", "energy", data=path))
        self.assert_error(self.run_cli("chart", "genres", "--data", path, "--genres", "rok",
                                       "-o", os.path.join(self.home, "g.png")), 2, "“rock”")
        self.assert_error(self.run_cli("chart", "artists", "--data", path, "--artists",
                                       "the beatls", "-o", os.path.join(self.home, "a.png")),
                          2, "The Beatles")


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
