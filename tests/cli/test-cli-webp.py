#!/usr/bin/python3
# test-cli-webp.py: tunescope-cli similar --image on WebP covers, decoded by
# libwebp whatever gdk-pixbuf's loaders are: lossy, lossless, animated (its
# first frame), and the broken ones (truncated, huge canvas) refused with
# exit 2 and an error naming the file. The CNN is the tiny one
# test-cli-cnn.py trains on covers the test paints.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-webp.py PATH-TO-tunescope-cli [unittest options]

import importlib.util
import json
import os
import sys

import cli_test_util

CLI = None
HERE = os.path.dirname(os.path.abspath(__file__))
ART = os.path.join(HERE, "..", "fixtures", "art")

_spec = importlib.util.spec_from_file_location("cli_cnn", os.path.join(HERE, "test-cli-cnn.py"))
cli_cnn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_cnn)


def art(name):
    return os.path.join(ART, name)


class WebpTest(cli_cnn.PaintedCoversCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cli_cnn.train_tiny_cnn(cli_test_util.CLI, cls.data, cls.covers, env=cls.env)
        # gdk-pixbuf with no loaders at all: WebP must not need one, even
        # on a machine where webp-pixbuf-loader is installed.
        cls.no_loaders = os.path.join(cls.home, "loaders.cache")
        with open(cls.no_loaders, "w"):
            pass

    def similar(self, image, *args, env=None):
        return self.run_cli("--data", self.data, "similar", "--image", image, *args,
                            env=env)

    def similar_json(self, image, env=None):
        result = self.similar(image, "--limit", "3", "--json", env=env)
        self.assert_exit(result, 0)
        return json.loads(result.stdout)

    def test_webp_kinds(self):
        no_pixbuf = dict(self.env, GDK_PIXBUF_MODULE_FILE=self.no_loaders)
        for name in ("lossy.webp", "lossless.webp", "animated.webp"):
            for env in (None, no_pixbuf):
                with self.subTest(name=name, pixbuf_loaders=env is None):
                    data = self.similar_json(art(name), env=env)
                    self.assertEqual(data["query"]["kind"], "image")
                    self.assertEqual(len(data["results"]), 3)
                    for values in data["query"]["profile"].values():
                        self.assertGreaterEqual(values["scaled"], 0.0)
                        self.assertLessEqual(values["scaled"], 1.0)
        result = self.similar(art("lossy.webp"), "--limit", "2")
        self.assert_exit(result, 0)
        self.assertIn("Predicted profile", result.stdout)

    def test_lossless_like_png(self):
        # The same pixels as the PNG twin: the same prediction and songs.
        webp = self.similar_json(art("lossless.webp"))
        png = self.similar_json(art("lossless.png"))
        self.assertEqual(webp["query"]["profile"], png["query"]["profile"])
        self.assertEqual([r["id"] for r in webp["results"]], [r["id"] for r in png["results"]])

    def test_first_frame(self):
        # The animation's first frame is green, its second magenta: the
        # prediction is that of a green picture, not of a magenta one.
        green = os.path.join(self.home, "green.png")
        magenta = os.path.join(self.home, "magenta.png")
        with open(green, "wb") as out:
            out.write(cli_cnn.png(24, 16, (0, 200, 0)))
        with open(magenta, "wb") as out:
            out.write(cli_cnn.png(24, 16, (200, 0, 200)))
        animated = self.similar_json(art("animated.webp"))["query"]["profile"]
        self.assertEqual(animated, self.similar_json(green)["query"]["profile"])
        self.assertNotEqual(animated, self.similar_json(magenta)["query"]["profile"])

    def test_bad_webp(self):
        with open(art("animated.webp"), "rb") as f:
            cut_animation = f.read()[:-20]
        path = os.path.join(self.home, "cut-animation.webp")
        with open(path, "wb") as f:
            f.write(cut_animation)
        cases = {art("truncated.webp"): "truncated",
                 path: "truncated or corrupt",
                 art("bomb.webp"): "too large",
                 art("bomb-anim.webp"): "too large"}
        for image, why in cases.items():
            with self.subTest(image=os.path.basename(image)):
                result = self.similar(image)
                self.assert_exit(result, 2)
                self.assertTrue(result.stderr.startswith("tunescope-cli: error:"), result.stderr)
                self.assertIn(os.path.basename(image), result.stderr)
                self.assertIn(why, result.stderr)
                self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
