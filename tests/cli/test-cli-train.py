#!/usr/bin/python3
# test-cli-train.py: train and embed: model files, options, progress and Ctrl+C
#
# Runs the built tunescope-cli as a user would.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-train.py PATH-TO-tunescope-cli [unittest options]
# Reads TS_SOURCE_ROOT and TS_SHARED_DIR from the environment (meson's
# test_env). Under CI=true a missing ../shared fails instead of skipping.

import json
import os
import subprocess
import sys

import cli_test_util
from cli_test_util import (CliTestCase, ERROR_PREFIX, SOURCE_ROOT, read_safetensors, shared_path,
                          write_training_csv)

CLI = None


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
            (("predictor", "--val-split", "-0.1"), "--val-split"),
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
            self.assert_error(result, 1, "/proc", "Could not create a file")
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



if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
