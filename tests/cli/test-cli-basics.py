#!/usr/bin/python3
# test-cli-basics.py: usage and help, info, search, and dataset download
# (against tests/net/kaggle-server.py)
#
# Runs the built tunescope-cli as a user would.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-basics.py PATH-TO-tunescope-cli [unittest options]
# Reads TS_SOURCE_ROOT and TS_SHARED_DIR from the environment (meson's
# test_env). Under CI=true a missing ../shared fails instead of skipping.

import json
import os
import sys

import cli_test_util
from cli_test_util import (CliTestCase, FIXTURE, HEADER, SOURCE_ROOT, shared_path, start_server,
                          stop_server)

CLI = None
SERVER = os.path.join(SOURCE_ROOT, "tests", "net", "kaggle-server.py")


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

    def test_bigger_datasets(self):
        """--dataset 600k and 1.2m: their own files into their own folders,
        readable by info; a wrong name is a usage error naming the right."""
        self.use_mode("ok")
        for name, folder, main, schema in (("600k", "dataset-600k", "tracks.csv", "tracks-600k"),
                                           ("1.2m", "dataset-1.2m", "tracks_features.csv",
                                            "tracks-1.2m")):
            downloaded = self.json_of(self.run_cli("dataset", "download", "--dataset", name,
                                                   "--json"))
            expected = os.path.join(self.home, "data", "tunescope", folder)
            self.assertEqual(downloaded["data"], os.path.join(expected, main))
            info = self.json_of(self.run_cli("info", "--data", downloaded["data"], "--json"))
            self.assertEqual(info["schema"], schema)
            self.assertEqual(info["rows"], 1)
        self.assertEqual(info["missing_features"], ["popularity"])
        self.assertEqual(info["albums"], 1)
        self.assert_error(self.run_cli("dataset", "download", "--dataset", "2m"), 2, "1.2m")

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


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
