# cli_test_util.py: what the CLI test scripts share
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pty
import shutil
import select
import signal
import subprocess
import sys
import unittest

# The tunescope-cli under test, set by main().
CLI = None


class CliCase(unittest.TestCase):
    """Runs the CLI in a home of its own (self.home, made by the subclass's setUp)."""

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def run_cli(self, *args, env=None):
        return subprocess.run([CLI] + list(args), env=env or self.env, capture_output=True,
                              text=True, timeout=60)

    def assert_exit(self, result, code):
        self.assertEqual(result.returncode, code,
                         "exit %d, stdout=%r stderr=%r" % (result.returncode, result.stdout,
                                                           result.stderr))


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
