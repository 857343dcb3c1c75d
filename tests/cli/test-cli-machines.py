#!/usr/bin/python3
# test-cli-machines.py: the same answers on every machine
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-machines.py PATH-TO-tunescope-cli [unittest options]
#
# Another CPU means another OpenBLAS kernel, and CI may run with any
# thread count. This runs the same queries with OPENBLAS_CORETYPE set to
# two kernels (AVX2 Haswell and SSE3 Prescott, which every x86-64 CPU
# here runs) and with one and two threads (TUNESCOPE_NUM_THREADS for
# Tunescope's own, OPENBLAS_NUM_THREADS, which Tunescope overrides, for
# OpenBLAS's), and checks:
# - on one kernel, any thread count gives the same bytes (the rule in
#   src/core/nn/ts-nn-threads.c);
# - across kernels, the same rankings, distances equal within
#   DISTANCE_TOLERANCE, and songs swapped only where they tie that close;
# - the engine's own test programs (PyTorch references, gradients against
#   finite differences, kNN against a naive double-precision search)
#   pass on each kernel.

import csv
import json
import os
import subprocess
import sys

import cli_test_util
from cli_test_util import CliTestCase, shared_path

CLI = None
KERNELS = ("Haswell", "Prescott")
THREADS = (1, 2)
SPACES = ("base", "predictor", "autoencoder")
# Distances are 1 - cos, or a norm of values in [0, 1], computed in float:
# another kernel sums the inner products in another order, which moved them
# by 2.4e-7 (2 ULPs of 1.0) on the real data. 2e-6 is 16 ULPs: room for
# every kernel's order, still far below any gap that means anything.
DISTANCE_TOLERANCE = 2e-6
# The engine's test programs, small enough to run once per kernel.
ENGINE_TESTS = ("tests/nn/test-nn-layers", "tests/nn/test-nn-reference",
                "tests/nn/test-nn-model", "tests/core/test-knn")


def kernel_name(env):
    """The OpenBLAS kernel a process started with @env runs (None if unknown)."""
    probe = ("import ctypes\n"
             "lib = ctypes.CDLL('libopenblas.so.0')\n"
             "lib.openblas_get_corename.restype = ctypes.c_char_p\n"
             "print(lib.openblas_get_corename().decode())\n")
    result = subprocess.run(["/usr/bin/python3", "-c", probe], env=env, capture_output=True,
                            text=True)
    return result.stdout.strip() if result.returncode == 0 else None


class MachinesTest(CliTestCase):
    def write_data(self):
        real = shared_path(self, "data/spotify/real-subset/data.csv")
        # Both eras of the real subset, 4,000 songs: real near-ties, and
        # models that train in a second.
        with open(real, encoding="utf-8", newline="") as f:
            lines = f.readlines()
        self.data = os.path.join(self.home, "data.csv")
        with open(self.data, "w", encoding="utf-8", newline="") as f:
            f.writelines(lines[:2001] + lines[-2000:])
        with open(self.data, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.songs = [rows[i]["id"] for i in (50, 1500, 2500, 3900)]

    def env_for(self, kernel, threads):
        return dict(self.env, OPENBLAS_CORETYPE=kernel, OPENBLAS_NUM_THREADS=str(threads),
                    TUNESCOPE_NUM_THREADS=str(threads))

    def query(self, env, space, *query):
        result = self.run_cli("similar", "--data", self.data, "--space", space, "--limit", "10",
                              "--json", *query, env=env)
        self.assert_exit(result, 0)
        return [(r["id"], r["distance"]) for r in json.loads(result.stdout)["results"]]

    def answers(self, env):
        found = {(space, song): self.query(env, space, "--song", song)
                 for space in SPACES for song in self.songs}
        # Feature values, a vector of the query's own (the base space's).
        found["features"] = self.query(env, "base", "--features",
                                       "energy=0.9,valence=0.2,acousticness=0.1")
        return found

    def assert_same_ranking(self, ref, other, what):
        self.assertEqual(len(ref), len(other), what)
        ref_distance = dict(ref)
        swaps = 0
        for (ref_id, ref_d), (other_id, other_d) in zip(ref, other):
            # Each position's distance agrees, so a song that moved only
            # changed places with one that ties within the tolerance.
            self.assertLessEqual(abs(ref_d - other_d), DISTANCE_TOLERANCE * max(1, abs(ref_d)),
                                 (what, ref, other))
            if other_id in ref_distance:
                self.assertLessEqual(abs(ref_distance[other_id] - other_d),
                                     DISTANCE_TOLERANCE * max(1, abs(other_d)), what)
            swaps += ref_id != other_id
        return swaps

    def test_same_rankings_on_every_kernel_and_thread_count(self):
        self.write_data()
        kernels = {}
        for kernel in KERNELS:
            found = kernel_name(self.env_for(kernel, 1))
            if found != kernel:
                self.skipTest("OpenBLAS runs %r here when asked for %s" % (found, kernel))
            kernels[kernel] = {t: self.answers(self.env_for(kernel, t)) for t in THREADS}
        # The first query of each model space trained its model; every other
        # run loaded it, so all runs rank with the same weights.
        models = os.listdir(os.path.join(self.home, "data", "tunescope", "models"))
        self.assertEqual(sorted(m.split("-")[0] for m in models), ["autoencoder", "predictor"])

        for kernel, by_threads in kernels.items():
            self.assertEqual(by_threads[1], by_threads[2], kernel)
        reference = kernels[KERNELS[0]][1]
        swaps = 0
        for kernel in KERNELS[1:]:
            for key, ranked in kernels[kernel][1].items():
                swaps += self.assert_same_ranking(reference[key], ranked, (kernel, key))
        print("%d rankings of 10 agree on %s; %d songs swapped among near-ties"
              % (len(reference), " and ".join(KERNELS), swaps), file=sys.stderr)

    def test_engine_tests_pass_on_every_kernel(self):
        build = os.environ["TS_BUILD_ROOT"]
        for kernel in KERNELS:
            env = dict(os.environ, OPENBLAS_CORETYPE=kernel, TUNESCOPE_NUM_THREADS="2")
            if kernel_name(env) != kernel:
                self.skipTest("OpenBLAS does not run %s here" % kernel)
            for program in ENGINE_TESTS:
                result = subprocess.run([os.path.join(build, program)], env=env,
                                        capture_output=True, text=True, timeout=300)
                self.assertEqual(result.returncode, 0,
                                 "%s on %s:\n%s%s" % (program, kernel, result.stdout[-3000:],
                                                      result.stderr[-3000:]))


if __name__ == "__main__":
    sys.exit(cli_test_util.main(sys.modules[__name__]))
