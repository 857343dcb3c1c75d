#!/usr/bin/python3
# test-cli-art.py: tunescope-cli art fetch|path against tests/net/spotify-server.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-art.py PATH-TO-tunescope-cli [unittest options]

import csv
import json
import os
import sys
import tempfile

import cli_test_util
from cli_test_util import run_on_terminal, start_server, stop_server

CLI = None
SOURCE_ROOT = os.environ.get("TS_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "cli", "fixtures", "tracks.csv")
SERVER = os.path.join(SOURCE_ROOT, "tests", "net", "spotify-server.py")
COVER = os.path.join(SOURCE_ROOT, "tests", "fixtures", "art", "baseline.jpg")
SECRET = "s3cr3t-XYZ"


class ArtTest(cli_test_util.CliCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.port = start_server(SERVER, COVER)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.server)

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ts-cli-art-")
        self.env = dict(os.environ)
        for name in ("TUNESCOPE_DATA", "TUNESCOPE_SPOTIFY_CLIENT_ID",
                     "TUNESCOPE_SPOTIFY_CLIENT_SECRET"):
            self.env.pop(name, None)
        base = "http://127.0.0.1:%d/" % self.port
        self.env.update(HOME=self.home, XDG_CACHE_HOME=os.path.join(self.home, "cache"),
                        XDG_DATA_HOME=os.path.join(self.home, "data"),
                        XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8",
                        TUNESCOPE_OEMBED_URL=base + "oembed",
                        TUNESCOPE_SPOTIFY_API_URL=base + "api",
                        TUNESCOPE_SPOTIFY_ACCOUNTS_URL=base + "accounts")
        self.cache = os.path.join(self.home, "cache", "tunescope", "art")


    def test_fetch_summary(self):
        result = self.run_cli("art", "fetch", "--ids", "ok1,ok2,nullthumb,unknown,flaky,htmlimg",
                              "--jobs", "3")
        self.assert_exit(result, 1)
        self.assertEqual(result.stderr, "")
        self.assertIn("Covers: 3 fetched, 0 cached, 2 missing, 1 failed", result.stdout)
        self.assertIn("missing nullthumb: ", result.stdout)
        self.assertIn("failed  htmlimg: ", result.stdout)
        self.assertIn("not an image", result.stdout)
        self.assertEqual(sorted(n for n in os.listdir(self.cache) if n.endswith(".jpg")),
                         ["flaky.jpg", "ok1.jpg", "ok2.jpg"])
        self.assertEqual([n for n in os.listdir(self.cache) if n.startswith(".")], [])

        again = json.loads(self.run_cli("art", "fetch", "--ids", "ok1,ok2", "--json").stdout)
        self.assertEqual((again["fetched"], again["cached"]), (0, 2))
        self.assertEqual(again["results"][0]["path"], os.path.join(self.cache, "ok1.jpg"))

    def test_top_with_api(self):
        env = dict(self.env, TUNESCOPE_SPOTIFY_CLIENT_ID="tid",
                   TUNESCOPE_SPOTIFY_CLIENT_SECRET=SECRET)
        result = self.run_cli("art", "fetch", "--top", "2", "--source", "api", "--json",
                              "--data", FIXTURE, env=env)
        self.assert_exit(result, 0)
        self.assertNotIn(SECRET, result.stdout + result.stderr)
        fetched = json.loads(result.stdout)
        self.assertEqual(fetched["fetched"], 2)
        with open(FIXTURE, newline="") as f:
            rows = list(csv.DictReader(f))
        rows.sort(key=lambda row: -float(row["popularity"]))
        self.assertEqual([r["id"] for r in fetched["results"]], [row["id"] for row in rows[:2]])
        for r in fetched["results"]:
            self.assertTrue(os.path.isfile(r["path"]))

    def test_api_credentials(self):
        result = self.run_cli("art", "fetch", "--ids", "ok1", "--source", "api")
        self.assert_exit(result, 2)
        self.assertIn("TUNESCOPE_SPOTIFY_CLIENT_ID", result.stderr)
        env = dict(self.env, TUNESCOPE_SPOTIFY_CLIENT_ID="tid",
                   TUNESCOPE_SPOTIFY_CLIENT_SECRET="wrong" + SECRET)
        result = self.run_cli("art", "fetch", "--ids", "ok1", "--source", "api", env=env)
        self.assert_exit(result, 1)
        self.assertIn("refused", result.stdout)
        self.assertNotIn(SECRET, result.stdout + result.stderr)

    def test_usage(self):
        for args in (("art",), ("art", "frobnicate"), ("art", "fetch"),
                     ("art", "fetch", "--ids", "a", "--top", "3"),
                     ("art", "fetch", "--ids", "a", "--jobs", "0"),
                     ("art", "fetch", "--ids", "a", "--source", "ftp"),
                     ("art", "path"), ("art", "path", "../x")):
            with self.subTest(args=args):
                self.assert_exit(self.run_cli(*args), 2)

    def test_path(self):
        result = self.run_cli("art", "path", "ok7")
        self.assert_exit(result, 0)
        self.assertEqual(result.stdout, os.path.join(self.cache, "ok7.jpg") + "\n")
        self.assertEqual(self.run_cli("art", "path", "ok7").stdout, result.stdout)
        result = self.run_cli("art", "path", "nullthumb")
        self.assert_exit(result, 1)
        self.assertIn("no cover", result.stderr)

    def test_progress_bar_on_terminal(self):
        env = dict(self.env, TERM="xterm")
        status, text = run_on_terminal([CLI, "art", "fetch", "--ids", "ok1,ok2,ok3"], env)
        self.assertEqual(status, 0)
        self.assertIn("\r", text)
        self.assertIn("Fetching covers [", text)
        self.assertIn("Covers: 3 fetched", text)


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
