#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-boundaries.py: the layers of src/core, checked on their #includes

    check-boundaries.py SOURCE_ROOT
    check-boundaries.py --self-test FIXTURE_ROOT

Reads every .c and .h file under SOURCE_ROOT/src/core and prints one line
per include that crosses a boundary, as FILE:LINE: RULE: what and why,
then exits 1; exits 0 when there is none. The rules:

  core-no-gui        nothing in src/core includes GTK, GDK or libadwaita
                     (<gdk-pixbuf/...> is not GDK: the core decodes images
                     with it)
  core-no-app-cli    nothing in src/core includes a header of src/app or
                     src/cli: they use the core, not the other way round
  nn-self-contained  src/core/nn/ (libtunescope-nn) includes its own
                     headers, "config.h", GLib/GIO/GObject, cblas/OpenBLAS
                     and standard C/POSIX headers, and only the exceptions
                     named in NN_EXCEPTIONS besides
  net-charts-apart   src/core/net/ and src/core/charts/ are siblings:
                     neither includes the other

Includes are looked up as the compiler does for the core: beside the
including file, then in src/core. Includes inside /* */ comments do
not count.

With --self-test, runs itself on FIXTURE_ROOT (tests/fixtures/boundaries),
a tree whose lines marked "expect: RULE" each break RULE once, and exits 1
if one of them goes unreported, if anything else is reported, if a rule
has no such line, or if the check does not exit 1. That is what shows the
check can fail at all.
"""

import os
import re
import subprocess
import sys

RULES = ("core-no-gui", "core-no-app-cli", "nn-self-contained", "net-charts-apart")

# What libtunescope-nn may include from outside src/core/nn/ besides the
# allowed families below, and why. A new entry is a new dependency of the
# engine: say why here.
NN_EXCEPTIONS = {
    "ts-error.h": "the error domain (libtunescope-base, below the engine): errors map to "
                  "the CLI's exit codes",
    "ts-atomic-file.h": "atomic file writes (libtunescope-base): a model file appears whole "
                        "or not at all, like every file the core writes",
    "json-glib/json-glib.h": "the safetensors header is JSON",
    "ts-json-guard.h": "the checks on JSON from outside (libtunescope-base): a model header "
                       "is guarded like every other JSON the core reads",
}

GLIB_PREFIXES = ("glib/", "gio/", "gobject/")
GLIB_HEADERS = {"glib.h", "glib-object.h", "gio/gio.h", "gmodule.h", "glib-unix.h"}
BLAS_HEADERS = {"cblas.h", "openblas_config.h", "f77blas.h"}

STD_C_HEADERS = {
    "assert.h", "complex.h", "ctype.h", "errno.h", "fenv.h", "float.h", "inttypes.h",
    "iso646.h", "limits.h", "locale.h", "math.h", "setjmp.h", "signal.h", "stdalign.h",
    "stdarg.h", "stdatomic.h", "stdbool.h", "stddef.h", "stdint.h", "stdio.h", "stdlib.h",
    "stdnoreturn.h", "string.h", "tgmath.h", "threads.h", "time.h", "uchar.h", "wchar.h",
    "wctype.h",
}
POSIX_HEADERS = {
    "aio.h", "dirent.h", "dlfcn.h", "fcntl.h", "fnmatch.h", "glob.h", "grp.h", "iconv.h",
    "langinfo.h", "libgen.h", "poll.h", "pthread.h", "pwd.h", "regex.h", "sched.h",
    "semaphore.h", "spawn.h", "strings.h", "syslog.h", "termios.h", "unistd.h", "utime.h",
    "wordexp.h",
}
POSIX_PREFIXES = ("sys/",)

GUI_PATTERN = re.compile(r"^(gtk|gdk|gsk|adwaita|libadwaita[\w.-]*)(/|\.h$)")
INCLUDE_PATTERN = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
EXPECT_PATTERN = re.compile(r"expect:\s*([\w-]+)")
REPORT_PATTERN = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<rule>[\w-]+): ")


def strip_block_comments(text):
    """@text with /* */ comments blanked out, newlines kept."""
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text,
                  flags=re.DOTALL)


def includes(path):
    """(line number, delimiter, name) for each #include of the file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip_block_comments(f.read())
    for number, line in enumerate(text.splitlines(), start=1):
        match = INCLUDE_PATTERN.match(line)
        if match:
            yield number, match.group(1), match.group(2)


def inside(path, folder):
    return os.path.commonpath([path, folder]) == folder


class Checker:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.src = os.path.join(self.root, "src")
        self.core = os.path.join(self.src, "core")
        self.nn = os.path.join(self.core, "nn")
        self.net = os.path.join(self.core, "net")
        self.charts = os.path.join(self.core, "charts")
        self.upper = [os.path.join(self.src, "app"), os.path.join(self.src, "cli")]
        self.violations = []

    def resolve(self, including, name):
        """Where a quoted @name leads from @including: beside it, then in
        src/core; else where it would be in src/core, existing or not."""
        for base in (os.path.dirname(including), self.core):
            candidate = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(candidate):
                return candidate
        return os.path.normpath(os.path.join(self.core, name))

    def reaches_upper(self, target, name):
        """Whether an include lands in src/app or src/cli, by its path or,
        when the core has no such header, by the name the app or CLI has."""
        if any(inside(target, folder) for folder in self.upper):
            return True
        if os.path.isfile(target):
            return False
        return any(os.path.isfile(os.path.join(folder, name)) or
                   os.path.isfile(os.path.join(folder, os.path.basename(name)))
                   for folder in self.upper)

    def report(self, path, number, rule, message):
        self.violations.append((os.path.relpath(path, self.root), number, rule, message))

    def nn_allows(self, name, target):
        if name == "config.h" or name in NN_EXCEPTIONS:
            return True
        if inside(target, self.nn):
            return True
        return (name in GLIB_HEADERS or name.startswith(GLIB_PREFIXES) or
                name in BLAS_HEADERS or name.startswith("openblas/") or
                name in STD_C_HEADERS or name in POSIX_HEADERS or
                name.startswith(POSIX_PREFIXES))

    def check_file(self, path):
        for number, delimiter, name in includes(path):
            shown = delimiter + name + (">" if delimiter == "<" else '"')
            target = self.resolve(path, name)
            if GUI_PATTERN.match(name):
                self.report(path, number, "core-no-gui",
                            f"includes {shown}: the core is GTK-free (GTK, GDK and "
                            "libadwaita belong to src/app; <gdk-pixbuf/...> is allowed)")
            elif name != "config.h" and self.reaches_upper(target, name):
                self.report(path, number, "core-no-app-cli",
                            f"includes {shown} from src/app or src/cli: they use the core, "
                            "not the other way round")
            if inside(path, self.nn) and not self.nn_allows(name, target):
                self.report(path, number, "nn-self-contained",
                            f"includes {shown}, outside src/core/nn/: the engine uses its "
                            "own headers, \"config.h\", GLib/GIO/GObject, cblas/OpenBLAS and "
                            "standard C/POSIX headers only (exceptions: NN_EXCEPTIONS in "
                            "build-aux/check-boundaries.py)")
            for here, there in ((self.net, self.charts), (self.charts, self.net)):
                if inside(path, here) and inside(target, there):
                    self.report(path, number, "net-charts-apart",
                                f"includes {shown}: src/core/{os.path.basename(here)}/ and "
                                f"src/core/{os.path.basename(there)}/ are siblings: "
                                "neither includes the other")

    def run(self):
        for folder, dirs, files in os.walk(self.core):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    self.check_file(os.path.join(folder, name))
        return self.violations


def check(root):
    if not os.path.isdir(os.path.join(root, "src", "core")):
        print(f"{root}: no src/core here", file=sys.stderr)
        return 2
    violations = Checker(root).run()
    for path, number, rule, message in violations:
        print(f"{path}:{number}: {rule}: {message}")
    if violations:
        print(f"{len(violations)} include(s) cross a boundary of src/core", file=sys.stderr)
        return 1
    return 0


def expectations(root):
    """(path, line, rule) for each line of the fixture marked expect: RULE."""
    expected = set()
    for folder, _, files in os.walk(os.path.join(root, "src")):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, start=1):
                    for rule in EXPECT_PATTERN.findall(line):
                        expected.add((os.path.relpath(path, root), number, rule))
    return expected


def self_test(fixture):
    expected = expectations(fixture)
    run = subprocess.run([sys.executable, os.path.abspath(__file__), fixture],
                         capture_output=True, text=True, check=False)
    reported = set()
    for line in run.stdout.splitlines():
        match = REPORT_PATTERN.match(line)
        if match is None:
            print(f"self-test: unreadable report line: {line}")
            return 1
        reported.add((match["path"], int(match["line"]), match["rule"]))
    problems = []
    problems += [f"{p}:{n}: {r}: not reported" for p, n, r in sorted(expected - reported)]
    problems += [f"{p}:{n}: {r}: reported, not expected" for p, n, r in
                 sorted(reported - expected)]
    problems += [f"no fixture line breaks {rule}" for rule in RULES
                 if not any(r == rule for _, _, r in expected)]
    if run.returncode != 1:
        problems.append(f"the check exited {run.returncode} on the fixture, not 1")
    for problem in problems:
        print(f"self-test: {problem}")
    if run.stderr and problems:
        print(run.stderr, end="", file=sys.stderr)
    if problems:
        return 1
    print(f"self-test: the {len(expected)} violations of the fixture were reported, "
          "and nothing else")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        return self_test(argv[2])
    if len(argv) == 2 and not argv[1].startswith("-"):
        return check(argv[1])
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
