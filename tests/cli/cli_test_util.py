# cli_test_util.py: what the CLI test scripts share
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import random
import shutil
import select
import signal
import struct
import subprocess
import sys
import tempfile
import unittest

# The tunescope-cli under test, set by main().
CLI = None
SOURCE_ROOT = os.environ.get("TS_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "cli", "fixtures", "tracks.csv")
HEADER = ("valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,"
          "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,"
          "speechiness,tempo").split(",")
ERROR_PREFIX = "tunescope-cli: error: "


class CliCase(unittest.TestCase):
    """Runs the CLI in a home of its own (self.home, made by the subclass's setUp)."""

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def run_cli(self, *args, env=None, timeout=60):
        return subprocess.run([CLI] + list(args), env=env or self.env, capture_output=True,
                              text=True, timeout=timeout)

    def assert_exit(self, result, code):
        self.assertEqual(result.returncode, code,
                         "exit %d, stdout=%r stderr=%r" % (result.returncode, result.stdout,
                                                           result.stderr))


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


class CliTestCase(CliCase):
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

    def run_on_terminal(self, *args, interrupt_on=None):
        """Runs on a pseudo-terminal; sends SIGINT once the output holds
        @interrupt_on. Returns the exit status and the output."""
        return run_on_terminal([CLI] + list(args), dict(self.env, TERM="xterm"),
                               interrupt_on=interrupt_on)

    def assert_error(self, result, code, *needles):
        self.assert_exit(result, code)
        self.assertTrue(result.stderr.startswith(ERROR_PREFIX), result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)

    def json_of(self, result):
        self.assert_exit(result, 0)
        return json.loads(result.stdout)


def write_training_csv(path, rows=300):
    """A data.csv whose popularity follows year and energy: something to learn."""
    rng = random.Random(1)
    with open(path, "w") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(rows):
            year = rng.randint(1921, 2020)
            energy = rng.random()
            popularity = int(min(100, 70 * (year - 1921) / 99 + 25 * energy + 5 * rng.random()))
            values = dict(valence=rng.random(), year=year, acousticness=rng.random(),
                          artists="['Artist %d']" % (i % 20), danceability=rng.random(),
                          duration_ms=150000 + 100 * i, energy=energy, explicit=0,
                          id="%022d" % i, instrumentalness=rng.random(), key=i % 12,
                          liveness=rng.random(), loudness=-30 * rng.random(), mode=1,
                          name="Song %d" % i, popularity=popularity, release_date=year,
                          speechiness=rng.random(), tempo=90 + i % 60)
            f.write(",".join("%.4f" % v if isinstance(v, float) else str(v)
                             for v in (values[h] for h in HEADER)) + "\n")


def read_safetensors(path):
    """The header and metadata of a safetensors file, checked against the format."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__")
    end = 0
    for name, t in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = t["data_offsets"]
        assert begin == end and t["dtype"] == "F32", name
        count = 1
        for d in t["shape"]:
            count *= d
        assert stop - begin == 4 * count, name
        end = stop
    assert 8 + n + end == len(blob), "trailing or missing bytes"
    return header, meta


def start_server(script, *args):
    """Starts a tests/net server script; returns (process, port)."""
    process = subprocess.Popen(["/usr/bin/python3", script] + list(args), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("PORT "), line
    return process, int(line.split()[1])


def stop_server(process):
    process.kill()
    process.wait()
    process.stdin.close()
    process.stdout.close()


def run_on_terminal(argv, env, timeout=30, interrupt_on=None):
    """Runs argv with stdout and stderr on a pseudo-terminal; sends SIGINT once
    the output holds the bytes @interrupt_on. Returns (status, output)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=slave)
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if interrupt_on is not None and interrupt_on in output:
            process.send_signal(signal.SIGINT)
            interrupt_on = None
    os.close(master)
    return process.wait(timeout=timeout), output.decode("utf-8", "replace")


def main(module):
    """Takes the CLI's path from argv[1] into module.CLI, then runs the tests; returns the exit status."""
    if len(sys.argv) < 2:
        print("usage: %s PATH-TO-tunescope-cli" % os.path.basename(sys.argv[0]), file=sys.stderr)
        return 2
    global CLI
    CLI = module.CLI = os.path.abspath(sys.argv.pop(1))
    program = unittest.main(exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1
