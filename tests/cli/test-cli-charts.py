#!/usr/bin/python3
# test-cli-charts.py: corr and chart
#
# Runs the built tunescope-cli as a user would.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-charts.py PATH-TO-tunescope-cli [unittest options]
# Reads TS_SOURCE_ROOT and TS_SHARED_DIR from the environment (meson's
# test_env). Under CI=true a missing ../shared fails instead of skipping.

import json
import os
import sys

import cli_test_util
from cli_test_util import (CliTestCase, FIXTURE, HEADER, SOURCE_ROOT, shared_path)

CLI = None
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
