#!/usr/bin/python3
# test-cli-grammar.py: one grammar for every tunescope-cli command
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The commands come from "tunescope-cli --help" itself, so that a command
# added later is held to the same rules without touching this file: each
# takes --data FILE and --json before its name, after its name and (for a
# command with verbs) between the name and the verb; an unknown option is
# exit 2 with "tunescope-cli: error:". The commands that run offline on a
# tiny fixture are also run for real in each position, and train (dense
# and CNN) is run with --val-split 0.
#
# Usage: test-cli-grammar.py PATH-TO-tunescope-cli [unittest options]

import json
import os
import re
import sys
import tempfile

import cli_test_util
from colour_covers import write_songs_and_covers

CLI = None
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "tracks.csv")
SONG = "0aaaaaaaaaaaaaaaaaaaa1"
ERROR_PREFIX = "tunescope-cli: error: "


def invocations(help_text):
    """[(command, verb or None)] from the Commands: section of --help: a
    line indented by two spaces starts a synopsis; a lower-case word after
    the name (alternatives split on "|") is a verb, an upper-case one is
    a positional argument and an option is neither."""
    found = []
    section = help_text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    for line in section.splitlines():
        match = re.match(r"^  (\w+)(?: ([a-z][\w|]*))?", line)
        if match is None:
            continue
        command, verbs = match.groups()
        for verb in (verbs.split("|") if verbs else [None]):
            if (command, verb) not in found:
                found.append((command, verb))
    return found


class GrammarTest(cli_test_util.CliCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ts-cli-grammar-")
        self.env = dict(os.environ)
        self.env.pop("TUNESCOPE_DATA", None)
        # Nothing may reach the network: every service is a closed port.
        closed = "http://127.0.0.1:9"
        self.env.update(HOME=self.home, XDG_CACHE_HOME=os.path.join(self.home, "cache"),
                        XDG_DATA_HOME=os.path.join(self.home, "data"),
                        XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8",
                        TUNESCOPE_KAGGLE_URL=closed, TUNESCOPE_OEMBED_URL=closed,
                        TUNESCOPE_SPOTIFY_API_URL=closed, TUNESCOPE_SPOTIFY_ACCOUNTS_URL=closed,
                        TUNESCOPE_MUSICBRAINZ_URL=closed, TUNESCOPE_COVERART_URL=closed)

    def all_invocations(self):
        result = self.run_cli("--help")
        self.assert_exit(result, 0)
        found = invocations(result.stdout)
        # The parser must see what the help shows, or this test checks nothing.
        for expected in (("info", None), ("train", "cnn"), ("train", "predictor"),
                         ("art", "path"), ("dataset", "download"), ("chart", "heatmap")):
            self.assertIn(expected, found)
        return found

    def positions(self, command, verb, *options):
        """Each place the common options may go, as argument lists."""
        head = [command] + ([verb] if verb else [])
        placed = [list(options) + head, head + list(options)]
        if verb:
            placed.append([command] + list(options) + [verb])
        return placed

    def assert_error(self, result, *needles):
        self.assert_exit(result, 2)
        self.assertTrue(result.stderr.startswith(ERROR_PREFIX), result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)

    # ---- every command, from --help ------------------------------------

    def test_every_command_takes_data_and_json_everywhere(self):
        for command, verb in self.all_invocations():
            for args in self.positions(command, verb, "--data", FIXTURE, "--json"):
                with self.subTest(args=args):
                    # --help comes last: the options before it are parsed
                    # first, and an unknown one would be exit 2.
                    result = self.run_cli(*args, "--help")
                    self.assert_exit(result, 0)
                    self.assertIn("Usage:", result.stdout)
                    # One help text for the common options, listed once.
                    self.assertEqual(result.stdout.count("--data=PATH"), 1, result.stdout)
                    self.assertEqual(result.stdout.count("--json "), 1, result.stdout)

    def test_every_command_refuses_unknown_options(self):
        # Before the command one parser reads the options, whatever follows.
        self.assert_error(self.run_cli("--no-such-option", "info"), "--no-such-option")
        for command, verb in self.all_invocations():
            for args in self.positions(command, verb, "--no-such-option")[1:]:
                with self.subTest(args=args):
                    self.assert_error(self.run_cli(*args, "--data", FIXTURE), "--no-such-option")

    def test_commands_with_verbs_want_one(self):
        for command in sorted({c for c, verb in self.all_invocations() if verb}):
            with self.subTest(command=command):
                self.assert_error(self.run_cli(command, "--data", FIXTURE, "--json"))
                self.assert_error(self.run_cli(command, "no-such-verb"), "no-such-verb")

    # ---- real runs on the fixture --------------------------------------

    def sample_args(self):
        """Arguments that make each offline command do its work on the
        fixture; None names why a command cannot run here. A command
        missing from this table fails the test: decide for it."""
        empty = os.path.join(self.home, "empty")
        os.makedirs(empty, exist_ok=True)
        model = os.path.join(self.home, "p.safetensors")
        return {
            ("info", None): [],
            ("search", None): ["hello"],
            ("similar", None): ["--song", SONG, "--limit", "3"],
            ("corr", None): ["--features", "energy,valence"],
            ("chart", "heatmap"): ["-o", os.path.join(self.home, "h.svg")],
            ("chart", "timeline"): ["-o", os.path.join(self.home, "t.svg")],
            ("chart", "genres"): None,  # needs data_by_genres.csv
            ("chart", "artists"): ["-o", os.path.join(self.home, "a.svg")],
            ("covers", "collect"): ["--source", "folder", "--dir", empty,
                                    "--manifest", os.path.join(self.home, "m.json")],
            ("train", "predictor"): ["--epochs", "2", "--val-split", "0", "-o", model],
            ("train", "autoencoder"): ["--epochs", "2", "--val-split", "0",
                                       "-o", os.path.join(self.home, "a.safetensors")],
            ("train", "genre"): None,  # needs data_w_genres.csv
            ("train", "cnn"): None,  # needs covers: see test_train_cnn_val_split_zero
            ("embed", None): ["--model", model],
            ("eval", None): None,  # needs artist genres
            ("dataset", "download"): None,  # the network
            ("art", "fetch"): None,  # the network
            ("art", "path"): None,  # the network
        }

    def test_offline_commands_honour_data_and_json_in_every_position(self):
        table = self.sample_args()
        for command, verb in self.all_invocations():
            self.assertIn((command, verb), table, "a new command: add it to sample_args()")
        # train before embed: embed reads the model train wrote.
        order = sorted(table, key=lambda key: key[0] != "train")
        for command, verb in order:
            extra = table[(command, verb)]
            if extra is None:
                continue
            for args in self.positions(command, verb, "--data", FIXTURE, "--json"):
                with self.subTest(args=args):
                    result = self.run_cli(*args, *extra)
                    self.assert_exit(result, 0)
                    self.assertIsInstance(json.loads(result.stdout), (dict, list))

    def test_data_after_the_command_wins(self):
        missing = os.path.join(self.home, "missing.csv")
        result = self.run_cli("--data", missing, "info", "--data", FIXTURE, "--json")
        self.assertEqual(json.loads(result.stdout)["path"], FIXTURE)
        result = self.run_cli("--data", FIXTURE, "info", "--data", missing)
        self.assert_exit(result, 2)
        self.assertIn(missing, result.stderr)

    def test_a_verb_after_its_options(self):
        # train cnn's own options are unknown until "cnn" is read.
        self.assert_error(self.run_cli("train", "--epochs", "2", "cnn"), "right after")

    # ---- --val-split 0 ---------------------------------------------------

    def test_train_val_split_zero(self):
        out = os.path.join(self.home, "p0.safetensors")
        text = self.run_cli("train", "predictor", "--data", FIXTURE, "--epochs", "3",
                            "--patience", "1", "--val-split", "0", "-o", out)
        self.assert_exit(text, 0)
        self.assertIn("No validation split: kept the last epoch", text.stdout)
        self.assertNotIn("val loss", text.stdout)
        self.assertNotIn("nan", text.stdout.lower())
        found = json.loads(self.run_cli("train", "predictor", "--data", FIXTURE, "--epochs", "3",
                                        "--patience", "1", "--val-split", "0", "-o", out,
                                        "--json").stdout)
        # Every row trained on, no early stopping: all epochs ran.
        self.assertEqual((found["train_rows"], found["val_rows"]), (9, 0))
        self.assertEqual(found["epochs_run"], 3)
        for figure in ("best_epoch", "val_loss", "val_mse", "baseline_mse", "r2"):
            self.assertIsNone(found[figure], figure)
        self.assertEqual(found["options"]["val_split"], 0)
        # The model file is usable: embed reads it.
        embedded = self.run_cli("embed", "--data", FIXTURE, "--model", out, "--json")
        self.assert_exit(embedded, 0)

    def test_train_val_split_still_checked(self):
        for value in ("-0.1", "1", "1.5", "none"):
            with self.subTest(value=value):
                self.assert_error(self.run_cli("train", "predictor", "--data", FIXTURE,
                                               "--val-split", value, "-o",
                                               os.path.join(self.home, "x.safetensors")),
                                  "--val-split")
        # A split that leaves no validation row is not taken for 0.
        self.assert_error(self.run_cli("train", "predictor", "--data", FIXTURE, "--val-split",
                                       "0.05", "-o", os.path.join(self.home, "x.safetensors")),
                          "too few")

    def test_train_cnn_val_split_zero(self):
        data = os.path.join(self.home, "colours.csv")
        covers = os.path.join(self.home, "covers")
        manifest = os.path.join(self.home, "manifest.json")
        write_songs_and_covers(data, covers, 8, 2, "0grm")
        self.assert_exit(self.run_cli("covers", "collect", "--data", data, "--source", "folder",
                                      "--dir", covers, "--manifest", manifest), 0)
        out = os.path.join(self.home, "cnn.safetensors")
        tiny = ("--backbone", "none", "--epochs", "2", "--image-size", "8", "--blocks", "1", "--filters", "2",
                "--augment", "0", "--batch-size", "4", "--val-split", "0", "--manifest",
                manifest, "-o", out)
        text = self.run_cli("train", "--data", data, "cnn", *tiny)
        self.assert_exit(text, 0)
        self.assertIn("No validation split: kept the last epoch", text.stdout)
        self.assertNotIn("n/a", text.stdout)
        found = json.loads(self.run_cli("train", "cnn", *tiny, "--json", "--data", data).stdout)
        self.assertEqual((found["train_images"], found["val_images"]), (8, 0))
        self.assertEqual(found["epochs_run"], 2)
        for figure in ("best_epoch", "val_mse", "baseline_mse"):
            self.assertIsNone(found[figure], figure)
        self.assertIsNone(found["features"]["energy"]["val_mse"])


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
