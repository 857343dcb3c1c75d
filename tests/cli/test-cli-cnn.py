#!/usr/bin/python3
# test-cli-cnn.py: tunescope-cli covers collect, train cnn and similar --image
# on covers the test paints itself: red ↔ energy, green ↔ valence, blue ↔
# acousticness.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-cnn.py PATH-TO-tunescope-cli [unittest options]

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import cli_test_util
from colour_covers import colour_songs, png, write_csv

CLI = None
N_SONGS = 64


def song_id(i):
    return "0cnn%018d" % i


# A CNN small enough to learn the painted covers in a few seconds.
TINY_TRAIN_ARGS = ("--backbone", "none", "--epochs", "40", "--image-size", "16", "--blocks", "2", "--filters", "8",
                   "--batch-size", "8", "--lr", "0.003", "--dropout", "0.1")


def paint_covers(home, n_songs=N_SONGS):
    """Writes HOME/data.csv with N_SONGS colour songs and HOME/covers/ with
    a cover for each (named by id, "Artist - Title" or "Title_Playlist"),
    plus one cover that matches no song. Returns (data, covers). The app's
    image tests import this."""
    data = os.path.join(home, "data.csv")
    covers = os.path.join(home, "covers")
    os.makedirs(covers)
    songs = colour_songs(n_songs, 5, song_id)
    write_csv(data, songs)
    for i, song in enumerate(songs):
        if i == 1:
            name = "Painter 1 - Colour Song 1.png"
        elif i == 2:
            name = "Colour Song 2_Some Playlist.png"
        else:
            name = song_id(i) + ".png"
        with open(os.path.join(covers, name), "wb") as out:
            out.write(png(20, 20, song["rgb"]))
    with open(os.path.join(covers, "nobody - nothing.png"), "wb") as out:
        out.write(png(20, 20, (1, 2, 3)))
    return data, covers


def train_tiny_cnn(cli, data, covers, env=None):
    """Collects the covers and trains the tiny CNN with the tunescope-cli at
    CLI, into ENV's XDG_DATA_HOME. The app's image tests and
    test-cli-webp.py use it."""
    for args in (["covers", "collect", "--source", "folder", "--dir", covers],
                 ["train", "cnn", *TINY_TRAIN_ARGS]):
        subprocess.run([cli, "--data", data, *args], env=env, check=True, capture_output=True,
                       timeout=120)


def bad_images():
    """File name -> contents that are not a usable image, each for its own reason."""
    return {"text.jpg": b"not an image", "empty.png": b"",
            "truncated.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
            "bomb.png": png(20, 20, (0, 0, 0))[:16]
            + struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)}


class PaintedCoversCase(cli_test_util.CliCase):
    """One home for the class, with the painted songs (self.data) and their
    covers (self.covers): training once serves every test. test-cli-webp.py
    builds on it."""

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="ts-cli-%s-" % cls.__name__.lower())
        cls.env = dict(os.environ)
        cls.env.pop("TUNESCOPE_DATA", None)
        cls.env.update(HOME=cls.home, XDG_CACHE_HOME=os.path.join(cls.home, "cache"),
                       XDG_DATA_HOME=os.path.join(cls.home, "data"),
                       XDG_CONFIG_HOME=os.path.join(cls.home, "config"),
                       GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8")
        cls.data, cls.covers = paint_covers(cls.home)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def tearDown(self):
        pass

    def cli(self, *args):
        return self.run_cli("--data", self.data, *args)


class CnnTest(PaintedCoversCase):
    def collect_and_train(self):
        result = self.cli("covers", "collect", "--source", "folder", "--dir", self.covers,
                          "--json")
        self.assert_exit(result, 0)
        result = self.cli("train", "cnn", *TINY_TRAIN_ARGS, "--json")
        self.assert_exit(result, 0)
        return json.loads(result.stdout)

    def test_1_no_model(self):
        image = os.path.join(self.covers, song_id(3) + ".png")
        result = self.cli("similar", "--image", image)
        self.assert_exit(result, 1)
        self.assertIn("train cnn", result.stderr)

    def test_2_collect_resumes(self):
        result = self.cli("covers", "collect", "--source", "folder", "--dir", self.covers,
                          "--limit", "10", "--json")
        self.assert_exit(result, 0)
        first = json.loads(result.stdout)
        self.assertEqual(first["added"], 10)
        result = self.cli("covers", "collect", "--source", "folder", "--dir", self.covers,
                          "--json")
        self.assert_exit(result, 0)
        second = json.loads(result.stdout)
        self.assertEqual(second["skipped"], 10)
        self.assertEqual(second["total"], N_SONGS)
        self.assertEqual(second["unmatched"], 1)
        manifest = os.path.join(self.home, "cache", "tunescope", "covers", "manifest.json")
        with open(manifest) as f:
            entries = json.load(f)["entries"]
        ids = {e["id"] for e in entries}
        self.assertIn(song_id(1), ids)  # "Artist - Title"
        self.assertIn(song_id(2), ids)  # "Title_Playlist"

    def test_3_train_and_search(self):
        report = self.collect_and_train()
        for feature in ("energy", "valence", "acousticness"):
            figures = report["features"][feature]
            self.assertLess(figures["val_mse"], 0.6 * figures["baseline_mse"], feature)
        self.assertTrue(os.path.exists(report["path"]))

        image = os.path.join(self.covers, song_id(3) + ".png")
        result = self.cli("similar", "--image", image, "--limit", "3", "--json")
        self.assert_exit(result, 0)
        data = json.loads(result.stdout)
        self.assertEqual(data["query"]["kind"], "image")
        self.assertEqual(len(data["results"]), 3)
        for feature, values in data["query"]["profile"].items():
            self.assertGreaterEqual(values["scaled"], 0.0)
            self.assertLessEqual(values["scaled"], 1.0)
        result = self.cli("similar", "--image", image, "--limit", "2")
        self.assert_exit(result, 0)
        self.assertIn("Predicted profile", result.stdout)
        self.assertIn("energy", result.stdout)

        bad = bad_images()
        for name, contents in bad.items():
            path = os.path.join(self.home, name)
            with open(path, "wb") as f:
                f.write(contents)
            result = self.cli("similar", "--image", path)
            self.assert_exit(result, 2)
            self.assertIn(name, result.stderr)

    def test_4_pretrained_backbone(self):
        """The default: heads on the pretrained MobileNetV2's features. The
        painted songs have no genres, so there is no genre head, and the
        search says it was not steered."""
        self.assert_exit(self.cli("covers", "collect", "--source", "folder", "--dir",
                                  self.covers), 0)
        result = self.cli("train", "cnn", "--epochs", "60", "--json")
        self.assert_exit(result, 0)
        report = json.loads(result.stdout)
        self.assertEqual(report["options"]["backbone"], "mobilenetv2")
        self.assertEqual(report["options"]["image_size"], 224)
        self.assertEqual(report["train_images"] + report["val_images"], N_SONGS)
        self.assertEqual(report["genres"]["train_images"], 0)
        result = self.cli("train", "cnn", "--epochs", "5")
        self.assert_exit(result, 0)
        self.assertIn("pretrained mobilenetv2", result.stdout)
        self.assertIn("no genre head", result.stdout)

        image = os.path.join(self.covers, song_id(3) + ".png")
        result = self.cli("similar", "--image", image, "--limit", "3", "--json")
        self.assert_exit(result, 0)
        query = json.loads(result.stdout)["query"]
        self.assertIsNone(query["genres"])
        self.assertFalse(query["steered"])
        self.assertEqual(len(query["profile"]), 13)
        # The from-scratch CNN's shape options need --backbone none.
        result = self.cli("train", "cnn", "--image-size", "32")
        self.assert_exit(result, 2)
        self.assertIn("--backbone none", result.stderr)

    def test_usage(self):
        self.assert_exit(self.cli("covers", "collect", "--source", "folder"), 2)
        self.assert_exit(self.cli("covers", "collect", "--source", "nowhere", "--dir", "."), 2)
        self.assert_exit(self.cli("train", "cnn", "--backbone", "none", "--image-size", "3"), 2)
        self.assert_exit(self.cli("train", "cnn", "--backbone", "resnet"), 2)
        self.assert_exit(self.cli("train", "cnn", "--weight-decay", "2"), 2)


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
