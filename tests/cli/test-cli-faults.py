#!/usr/bin/python3
# test-cli-faults.py: faults while tunescope-cli writes: a full disk, a kill
# mid-write, a read-only data folder. Every file a user cares about is
# either the old one or the new one afterwards, and the next run works.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-faults.py PATH-TO-tunescope-cli [unittest options]
# The full disk and the read-only folder are small tmpfs mounts: that needs
# root (the CI machine runs the tests as root); elsewhere those tests skip
# with a visible message.

import ctypes
import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import cli_test_util
from colour_covers import write_songs_and_covers
from cli_test_util import (CliTestCase, FIXTURE, SOURCE_ROOT, read_safetensors, start_server,
                           stop_server, write_training_csv)

CLI = None
SERVER = os.path.join(SOURCE_ROOT, "tests", "net", "spotify-server.py")
COVER = os.path.join(SOURCE_ROOT, "tests", "fixtures", "art", "baseline.jpg")
KILLS = 50
# Kills land at random moments in [0, KILL_SPAN × a whole run's time]: past
# 1 some runs finish, so both outcomes (old file, new file) are seen. The
# run's time is the longest of three, and the span wide, because a loaded
# machine (the suite runs two tests at once) makes runs vary.
KILL_SPAN = 1.6
MNT_DETACH = 2
# A predictor this wide saves about 1 MB of weights: its write takes long
# enough for some kills to land inside it.
WIDE_TRAIN = ("train", "predictor", "--epochs", "2", "--hidden", "512,256", "--batch-size", "64")

libc = ctypes.CDLL(None, use_errno=True)


def mount_tmpfs(path, options):
    """Mounts a tmpfs at PATH; returns None, or why it could not."""
    if libc.mount(b"tmpfs", path.encode(), b"tmpfs", 0, options.encode()) == 0:
        return None
    return os.strerror(ctypes.get_errno())


def unmount(path):
    libc.umount2(path.encode(), MNT_DETACH)


def fill(folder):
    """Fills the file system of FOLDER to the last byte."""
    # Unbuffered: a buffer would fail again on close.
    with open(os.path.join(folder, "filler"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as e:
            if e.errno != errno.ENOSPC:
                raise


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def first_song_id():
    with open(FIXTURE) as f:
        header = f.readline().strip().split(",")
        return f.readline().strip().split(",")[header.index("id")]


class FaultCase(CliTestCase):
    def setUp(self):
        super().setUp()
        self.mounts = []

    def tearDown(self):
        for path in reversed(self.mounts):
            unmount(path)
        super().tearDown()

    def mount(self, path, options):
        os.makedirs(path, exist_ok=True)
        why = mount_tmpfs(path, options)
        if why is not None:
            print("SKIP: cannot mount a tmpfs (%s): these tests need root" % why, file=sys.stderr)
            self.skipTest("cannot mount a tmpfs: " + why)
        self.mounts.append(path)


class DiskFullTest(FaultCase):
    """Saving into a full 1 MiB file system: a clear error and the old file intact."""

    def setUp(self):
        super().setUp()
        self.disk = os.path.join(self.home, "disk")
        self.mount(self.disk, "size=1m")

    def assert_refused_keeping(self, result, path, old):
        self.assert_exit(result, 1)
        self.assertIn(path, result.stderr)
        self.assertIn(os.strerror(errno.ENOSPC), result.stderr)
        self.assertEqual(read_bytes(path), old)
        # No temporary file left beside it.
        self.assertEqual(sorted(os.listdir(self.disk)), sorted([os.path.basename(path), "filler"]))

    def place_old(self, name):
        path = os.path.join(self.disk, name)
        with open(path, "wb") as f:
            f.write(b"the user's old file\n")
        fill(self.disk)
        return path, read_bytes(path)

    def test_playlist(self):
        path, old = self.place_old("list.m3u8")
        result = self.run_cli("--data", FIXTURE, "similar", "--song", first_song_id(), "-o", path)
        self.assert_refused_keeping(result, path, old)

    def test_model(self):
        data = os.path.join(self.home, "train.csv")
        write_training_csv(data)
        path, old = self.place_old("model.safetensors")
        result = self.run_cli("--data", data, "train", "predictor", "--epochs", "1", "-o", path)
        self.assert_refused_keeping(result, path, old)

    def test_chart(self):
        path, old = self.place_old("heatmap.png")
        result = self.run_cli("--data", FIXTURE, "chart", "heatmap", "-o", path)
        self.assert_refused_keeping(result, path, old)

    def test_cover(self):
        server, port = start_server(SERVER, COVER)
        self.addCleanup(stop_server, server)
        self.env.update(XDG_CACHE_HOME=self.disk,
                        TUNESCOPE_OEMBED_URL="http://127.0.0.1:%d/oembed" % port)
        fetched = self.run_cli("art", "fetch", "--ids", "ok1")
        self.assert_exit(fetched, 0)
        cache = os.path.join(self.disk, "tunescope", "art")
        old = {name: read_bytes(os.path.join(cache, name)) for name in os.listdir(cache)}
        fill(self.disk)

        result = self.run_cli("art", "fetch", "--ids", "ok1,ok2")
        self.assert_exit(result, 1)
        self.assertIn("Covers: 0 fetched, 1 cached, 0 missing, 1 failed", result.stdout)
        self.assertIn("failed  ok2: Could not write ‘%s/ok2." % cache, result.stdout)
        self.assertIn(os.strerror(errno.ENOSPC), result.stdout)
        self.assertEqual({name: read_bytes(os.path.join(cache, name))
                          for name in os.listdir(cache)}, old)


class KillTest(FaultCase):
    """SIGKILL at random moments, KILLS times a command: every file is the
    old one or a whole new one, and the next run works."""

    def setUp(self):
        super().setUp()
        self.rng = random.Random(20261207)

    def timed_run(self, args, reset=lambda: None):
        """The longest of three whole runs of ARGS, each after RESET, in seconds."""
        longest = 0
        for _ in range(3):
            reset()
            start = time.monotonic()
            self.assert_exit(self.run_cli(*args), 0)
            longest = max(longest, time.monotonic() - start)
        return longest

    def kill_at_random(self, args, duration, reset, classify):
        """Runs ARGS KILLS times, each killed after a random delay, calling
        RESET before each run and CLASSIFY after; returns how often each of
        CLASSIFY's answers came."""
        outcomes = {}
        for i in range(KILLS):
            reset()
            delay = self.rng.uniform(0, KILL_SPAN * duration)
            process = subprocess.Popen([CLI] + list(args), env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            outcome = classify()
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        print("%s: %r" % (self._testMethodName, outcomes), file=sys.stderr)
        return outcomes

    def assert_only_names(self, folder, names, whole=None):
        """FOLDER holds NAMES and nothing else, but for what a kill between
        naming a whole new file and renaming it leaves: .NAME.saving, which
        WHOLE(path) must accept and the next save of NAME removes."""
        found = set(os.listdir(folder))
        for name in names:
            left = "." + name + ".saving"
            if left in found and whole is not None:
                whole(os.path.join(folder, left))
                found.discard(left)
        self.assertEqual(sorted(found), sorted(names))

    def assert_old_and_new_seen(self, outcomes):
        # Kills before the rename and after it: the test reached the write.
        self.assertIn("old", outcomes)
        self.assertIn("new", outcomes)

    def assert_old_or_new(self, args, path, old):
        """For a command whose output is the same every run: killed, it
        leaves PATH (alone in its folder) as OLD or as a whole run's file."""
        folder, name = os.path.split(path)
        duration = self.timed_run(args)
        new = read_bytes(path)

        def reset():
            with open(path, "wb") as f:
                f.write(old)

        def classify():
            self.assert_only_names(folder, [name],
                                   lambda left: self.assertEqual(read_bytes(left), new))
            contents = read_bytes(path)
            self.assertIn(contents, (old, new))
            return "old" if contents == old else "new"

        self.assert_old_and_new_seen(self.kill_at_random(args, duration, reset, classify))
        reset()
        self.assert_exit(self.run_cli(*args), 0)
        self.assert_only_names(folder, [name])
        reset()

    def test_train(self):
        data = os.path.join(self.home, "train.csv")
        write_training_csv(data)
        folder = os.path.join(self.home, "models")
        os.makedirs(folder)
        path = os.path.join(folder, "predictor.safetensors")
        args = ("--data", data) + WIDE_TRAIN + ("-o", path)
        duration = self.timed_run(args)
        old = b"an old model\n"

        def reset():
            with open(path, "wb") as f:
                f.write(old)

        def classify():
            self.assert_only_names(folder, ["predictor.safetensors"], read_safetensors)
            if read_bytes(path) == old:
                return "old"
            header, meta = read_safetensors(path)  # whole, or this raises
            self.assertEqual(meta["model"], "predictor")
            return "new"

        outcomes = self.kill_at_random(args, duration, reset, classify)
        self.assert_old_and_new_seen(outcomes)
        reset()
        self.assert_exit(self.run_cli(*args), 0)
        read_safetensors(path)
        self.assert_only_names(folder, ["predictor.safetensors"])

    def test_similar_output(self):
        folder = os.path.join(self.home, "lists")
        os.makedirs(folder)
        path = os.path.join(folder, "like.m3u8")
        args = ("--data", FIXTURE, "similar", "--song", first_song_id(), "-o", path)
        self.assert_old_or_new(args, path, b"#EXTM3U\n# the user's old list\n")

    def test_art_fetch(self):
        server, port = start_server(SERVER, COVER)
        self.addCleanup(stop_server, server)
        self.env.update(XDG_CACHE_HOME=os.path.join(self.home, "cache"),
                        TUNESCOPE_OEMBED_URL="http://127.0.0.1:%d/oembed" % port)
        cache = os.path.join(self.home, "cache", "tunescope", "art")
        # lag* answers after 0.3 s: the covers arrive one by one over the run.
        ids = ["lag%d" % i for i in range(4)]
        args = ("art", "fetch", "--ids", ",".join(ids), "--jobs", "2")

        def reset():
            shutil.rmtree(cache, ignore_errors=True)

        duration = self.timed_run(args, reset)
        # Beside each cover, ID.url remembers where it came from.
        whole = {".jpg": read_bytes(os.path.join(cache, "lag0.jpg")),
                 ".url": read_bytes(os.path.join(cache, "lag0.url"))}

        def classify():
            names = os.listdir(cache) if os.path.isdir(cache) else []
            for name in names:
                # A kill between naming a whole file and renaming it leaves
                # .ID.EXT.saving: whole too.
                stem, ext = os.path.splitext(name[1:-len(".saving")]
                                             if name.endswith(".saving") else name)
                self.assertIn(stem, ids)
                self.assertEqual(read_bytes(os.path.join(cache, name)), whole[ext], name)
            covers = [n for n in names if n.endswith(".jpg")]
            return "new" if len(covers) == len(ids) else "old" if not covers else "some"

        outcomes = self.kill_at_random(args, duration, reset, classify)
        self.assertIn("some", outcomes)
        # The next run fetches what the last kill left out.
        result = self.json_of(self.run_cli(*args, "--json"))
        self.assertEqual(result["fetched"] + result["cached"], len(ids))

    def test_covers_collect(self):
        data = os.path.join(self.home, "colour.csv")
        covers = os.path.join(self.home, "covers")
        write_songs_and_covers(data, covers, 400, 5, "0kil")
        folder = os.path.join(self.home, "manifest")
        os.makedirs(folder)
        path = os.path.join(folder, "manifest.json")
        # The old manifest holds the first half; a run adds the rest.
        half = ("--data", data, "covers", "collect", "--source", "folder", "--dir", covers,
                "--manifest", path)
        self.assert_exit(self.run_cli(*half, "--limit", "200"), 0)
        self.assert_old_or_new(half, path, read_bytes(path))
        result = self.run_cli(*half, "--json")
        self.assert_exit(result, 0)
        self.assertEqual(json.loads(result.stdout)["added"], 200)


class ReadOnlyDataTest(FaultCase):
    """XDG_DATA_HOME on a read-only file system: saving a model says so
    plainly, and what needs no saving still works."""

    def setUp(self):
        super().setUp()
        data_home = os.path.join(self.home, "data")
        self.mount(data_home, "ro,size=1m")
        self.models = os.path.join(data_home, "tunescope", "models")

    def test_train_default_path(self):
        data = os.path.join(self.home, "train.csv")
        write_training_csv(data)
        result = self.run_cli("--data", data, "train", "predictor", "--epochs", "1")
        self.assertIn(result.returncode, (1, 2), result.stderr)
        self.assertIn(os.path.join(self.home, "data", "tunescope"), result.stderr)
        self.assertIn(os.strerror(errno.EROFS), result.stderr)

        result = self.run_cli("--data", FIXTURE, "similar", "--song", first_song_id(), "--json")
        self.assert_exit(result, 0)
        self.assertTrue(json.loads(result.stdout)["results"])


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
