#!/usr/bin/python3
# test-cli-musicbrainz.py: covers collect --source musicbrainz against
# tests/net/musicbrainz-server.py, then train cnn on what it collected.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The server's covers are JPEGs the test paints (colour_covers.py): red ↔
# energy, green ↔ valence, blue ↔ acousticness, so a CNN trained on the
# collected pairs must beat the mean on those three.
#
# Usage: test-cli-musicbrainz.py PATH-TO-tunescope-cli [unittest options]

import json
import os
import sys
import tempfile
import urllib.request

import cli_test_util
from cli_test_util import run_on_terminal, start_server, stop_server
from colour_covers import colour_songs, jpeg, write_csv

CLI = None
SOURCE_ROOT = os.environ.get("TS_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER = os.path.join(SOURCE_ROOT, "tests", "net", "musicbrainz-server.py")
N_SONGS = 60
# Tried most popular first: the popularity grows with the index.
KINDS = {59: "busy", 49: "badjson", 48: "html", 47: "norecording", 46: "nocover",
         45: "truncimg", 44: "cutimg"}
FAILED = {"badjson": "malformed JSON", "html": "malformed JSON",
          "truncimg": "not a readable image", "cutimg": "cut short"}
NOT_FOUND = {"norecording": "no release of a matching recording",
             "nocover": "no front cover"}


def song_id(i):
    return "0mbz%018d" % i


def mbid(i):
    return "%08x-0000-4000-8000-%012x" % (0xa1b00000 + i, i)


class MusicBrainzTest(cli_test_util.CliCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ts-cli-mbz-")
        self.data = os.path.join(self.home, "tracks.csv")
        covers = os.path.join(self.home, "served")
        os.makedirs(covers)
        self.songs = colour_songs(N_SONGS, 11, song_id)
        # Spotify's name of a remaster; MusicBrainz knows the recording by its title.
        self.songs[10]["row"] = self.songs[10]["row"].replace(
            ",Colour Song 10,", ",Colour Song 10 - 2011 Remaster,")
        write_csv(self.data, self.songs)
        catalog = {"covers": covers, "songs": []}
        for i, song in enumerate(self.songs):
            song["mbid"], song["kind"] = mbid(i), KINDS.get(i, "ok")
            catalog["songs"].append({k: song[k] for k in ("title", "artist", "mbid", "kind")})
            with open(os.path.join(covers, song["mbid"] + ".jpg"), "wb") as f:
                f.write(jpeg(32, 32, song["rgb"]))
        with open(os.path.join(self.home, "catalog.json"), "w") as f:
            json.dump(catalog, f)
        self.server, self.port = start_server(SERVER, os.path.join(self.home, "catalog.json"))
        self.addCleanup(stop_server, self.server)

        base = "http://127.0.0.1:%d" % self.port
        self.env = dict(os.environ)
        self.env.pop("TUNESCOPE_DATA", None)
        self.env.pop("TUNESCOPE_MUSICBRAINZ_INTERVAL_MS", None)
        self.env.update(HOME=self.home, XDG_CACHE_HOME=os.path.join(self.home, "cache"),
                        XDG_DATA_HOME=os.path.join(self.home, "data"),
                        XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8",
                        TUNESCOPE_MUSICBRAINZ_URL=base + "/ws/2",
                        TUNESCOPE_COVERART_URL=base + "/caa")
        self.covers_dir = os.path.join(self.home, "cache", "tunescope", "covers")
        self.manifest = os.path.join(self.covers_dir, "manifest.json")

    def cli(self, *args, env=None):
        return self.run_cli("--data", self.data, *args, env=env)

    def stats(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/stats" % self.port) as answer:
            return json.load(answer)

    def load_manifest(self):
        with open(self.manifest) as f:
            return json.load(f)

    def with_interval(self, ms):
        env = dict(self.env)
        env["TUNESCOPE_MUSICBRAINZ_INTERVAL_MS"] = str(ms)
        return env

    def collect_paced(self):
        """The first 4 songs at the real 1 s pace, one answered 503 first."""
        result = self.cli("covers", "collect", "--source", "musicbrainz", "--limit", "4",
                          "--json")
        self.assert_exit(result, 0)
        summary = json.loads(result.stdout)
        self.assertEqual((summary["tried"], summary["found"], summary["skipped"]), (4, 4, 0))
        searches = self.stats()["searches"]
        self.assertEqual([s["title"] for s in searches],
                         ["Colour Song %d" % i for i in (59, 59, 58, 57, 56)])
        gaps = [b["time"] - a["time"] for a, b in zip(searches, searches[1:])]
        for gap in gaps:
            self.assertGreaterEqual(gap, 0.95, gaps)
        for search in searches:
            self.assertRegex(search["user_agent"], r"^Tunescope/\S+ \( https?://\S+ \)$")

    def collect_interrupted(self):
        """Ctrl+C in the middle keeps what was done."""
        status, output = run_on_terminal(
            [CLI, "--data", self.data, "covers", "collect", "--source", "musicbrainz"],
            self.with_interval(300), interrupt_on=b"songs, ")
        self.assertEqual(status, 1, output)
        self.assertIn("run the same command again to resume", output)
        tried = self.load_manifest()["tried"]["musicbrainz"]
        self.assertGreater(len(tried), 4)
        self.assertLess(len(tried), N_SONGS)
        return set(tried)

    def check_outcomes(self):
        manifest = self.load_manifest()
        tried = manifest["tried"]["musicbrainz"]
        self.assertEqual(len(tried), N_SONGS)
        images = os.path.join(self.covers_dir, "musicbrainz")
        files = sorted(os.listdir(images))
        found = [s for s in self.songs if s["kind"] in ("ok", "busy")]
        self.assertEqual(files, sorted(s["id"] + ".jpg" for s in found))
        for song in self.songs:
            outcome = tried[song["id"]]
            if song["kind"] in FAILED:
                self.assertEqual(outcome["status"], "failed", song["kind"])
                self.assertIn(FAILED[song["kind"]], outcome["reason"])
            elif song["kind"] in NOT_FOUND:
                self.assertEqual(outcome["status"], "not-found", song["kind"])
                self.assertIn(NOT_FOUND[song["kind"]], outcome["reason"])
            else:
                # The official album, not the compilation or the live decoy.
                self.assertEqual(outcome, {"status": "found", "reason": "release " + song["mbid"]})
        # The pairs hold the song's min-max scaled features (energy is the 6th).
        energies = [float(s["row"].split(",")[6]) for s in self.songs]
        low, high = min(energies), max(energies)
        entries = {e["id"]: e for e in manifest["entries"]}
        self.assertEqual(len(entries), len(found))
        for song in found:
            entry = entries[song["id"]]
            self.assertEqual(entry["source"], "musicbrainz")
            self.assertEqual(entry["file"], os.path.join(images, song["id"] + ".jpg"))
            energy = float(song["row"].split(",")[6])
            self.assertAlmostEqual(entry["features"][5], (energy - low) / (high - low), places=4)
        # Another title's release never; the live bootleg only after the album and the
        # compilation had no cover.
        nocover = next(s["mbid"] for s in self.songs if s["kind"] == "nocover")
        self.assertEqual([c for c in self.stats()["covers"] if c.startswith("dec0")],
                         ["dec0dec0" + nocover[8:]])

    def train(self, *extra):
        return self.cli("train", "cnn", "--backbone", "none", "--epochs", "40", "--image-size", "16", "--blocks", "2",
                        "--filters", "8", "--batch-size", "8", "--lr", "0.003", "--dropout",
                        "0.1", *extra)

    def test_pipeline(self):
        self.collect_paced()
        done = self.collect_interrupted()
        searched_before = len(self.stats()["searches"])

        result = self.cli("covers", "collect", "--source", "musicbrainz", "--json",
                          env=self.with_interval(10))
        self.assert_exit(result, 0)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["skipped"], len(done))
        self.assertEqual(summary["tried"], N_SONGS - len(done))
        # The rerun searched each song not done once, and no other (a search cut
        # short by Ctrl+C does not count as done).
        titles = [s["title"] for s in self.stats()["searches"][searched_before:]]
        self.assertEqual(sorted(titles),
                         sorted(s["title"] for s in self.songs if s["id"] not in done))
        self.check_outcomes()

        result = self.cli("covers", "collect", "--source", "musicbrainz", "--json")
        self.assert_exit(result, 0)
        self.assertEqual(json.loads(result.stdout)["tried"], 0)
        result = self.cli("covers", "collect", "--source", "musicbrainz", "--retry-failed",
                          "--json", env=self.with_interval(10))
        self.assert_exit(result, 0)
        again = json.loads(result.stdout)
        self.assertEqual((again["tried"], again["failed"], again["found"]),
                         (len(FAILED), len(FAILED), 0))

        result = self.train("--json")
        self.assert_exit(result, 0)
        report = json.loads(result.stdout)
        self.assertLess(report["val_mse"], report["baseline_mse"])
        for feature in ("energy", "valence", "acousticness"):
            figures = report["features"][feature]
            self.assertLess(figures["val_mse"], 0.6 * figures["baseline_mse"], feature)

        # Ctrl+C during training keeps the model there was.
        with open(report["path"], "rb") as f:
            before = f.read()
        status, output = run_on_terminal(
            [CLI, "--data", self.data, "train", "cnn", "--backbone", "none", "--epochs", "1000", "--patience", "0",
             "--image-size", "16", "--blocks", "2", "--filters", "8"],
            self.env, interrupt_on=b"epoch 2/")
        self.assertEqual(status, 1, output)
        self.assertIn("the previous model is kept", output)
        with open(report["path"], "rb") as f:
            self.assertEqual(f.read(), before)

    def test_unreachable(self):
        env = dict(self.env)
        env["TUNESCOPE_MUSICBRAINZ_URL"] = "http://127.0.0.1:1/ws/2"
        result = self.cli("covers", "collect", "--source", "musicbrainz", env=env)
        self.assert_exit(result, 1)
        self.assertIn("MusicBrainz", result.stderr)
        self.assertIn("resume", result.stderr)

    def test_usage(self):
        result = self.cli("covers", "collect", "--source", "musicbrainz", "--dir", self.home)
        self.assert_exit(result, 2)
        result = self.cli("covers", "collect", "--source", "folder", "--dir", self.home,
                          "--retry-failed")
        self.assert_exit(result, 2)
        result = self.cli("covers", "collect", "--source", "nowhere")
        self.assert_exit(result, 2)
        self.assertIn("musicbrainz", result.stderr)


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
