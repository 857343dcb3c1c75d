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
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

CLI = None
SOURCE_ROOT = os.environ.get("TS_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "cli", "fixtures", "data.csv")
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


class CliTestCase(unittest.TestCase):
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

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def run_cli(self, *args, env=None):
        return subprocess.run([CLI] + list(args), env=env or self.env, capture_output=True,
                              text=True, timeout=60)

    def assert_exit(self, result, code):
        self.assertEqual(result.returncode, code,
                         "exit %d, stdout=%r stderr=%r" % (result.returncode, result.stdout,
                                                           result.stderr))

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
        for command in ("info", "search", "dataset download"):
            self.assertIn(command, result.stdout)

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
        self.assertRegex(info["skipped_reasons"][0], r"^data\.csv:8: \S")
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
        self.assertIn("data.csv:8:", result.stdout)
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
        cls.server = subprocess.Popen(["/usr/bin/python3", SERVER], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
        line = cls.server.stdout.readline()
        assert line.startswith("PORT "), line
        cls.port = int(line.split()[1])

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()
        cls.server.stdin.close()
        cls.server.stdout.close()

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
        env = dict(self.env, TERM="xterm")
        master, slave = pty.openpty()
        process = subprocess.Popen([CLI, "dataset", "download", "--dest", self.dest()],
                                   env=env, stdin=subprocess.DEVNULL, stdout=slave,
                                   stderr=slave)
        os.close(slave)
        output = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.close(master)
        self.assertEqual(process.wait(timeout=30), 0)
        text = output.decode("utf-8", "replace")
        self.assertIn("\r", text)
        self.assertIn("Downloading [", text)
        self.assertIn("%", text)
        self.assertIn("data.csv", text)


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

def main():
    global CLI
    if len(sys.argv) < 2:
        print("usage: test-cli.py PATH-TO-tunescope-cli", file=sys.stderr)
        return 2
    CLI = os.path.abspath(sys.argv.pop(1))
    program = unittest.main(exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
