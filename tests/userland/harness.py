"""Shared pieces of the userland tests: argument parsing, a checker that
prints PASS/FAIL per check and a summary line, and a runner for programs.

Every check prints `PASS <name>` or `FAIL <name>: <detail>`; the script ends
with `<group>: N passed, M failed` and exits 1 if anything failed (77 means
skipped, for CTest's SKIP_RETURN_CODE)."""

import argparse
import os
import subprocess
import sys

SKIP = 77


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True, help="build/userland/bin")
    parser.add_argument("--helper-dir", required=True, help="test helper programs (segv, showargs)")
    arguments = parser.parse_args()
    arguments.bin_dir = os.path.abspath(arguments.bin_dir)
    arguments.helper_dir = os.path.abspath(arguments.helper_dir)
    return arguments


class Checker:
    def __init__(self, group):
        self.group = group
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")
        sys.stdout.flush()
        return condition

    def equal(self, name, actual, expected):
        return self.check(name, actual == expected, f"got {actual!r}, expected {expected!r}")

    def finish(self):
        print(f"{self.group}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed or not self.passed else 0


def osprey_environment(arguments, **extra):
    """An environment whose PATH holds only the Osprey userland and the
    test helpers, so that no host program is found by mistake."""
    environment = {
        "PATH": f"{arguments.bin_dir}:{arguments.helper_dir}",
        "HOME": os.environ.get("HOME", "/"),
        "LC_ALL": "C",
        "TZ": "UTC",
    }
    environment.update(extra)
    return environment


def host_environment(**extra):
    environment = dict(os.environ)
    environment.update({"LC_ALL": "C", "TZ": "UTC"})
    environment.update(extra)
    return environment


def run(command, cwd=None, env=None, input=None, timeout=20):
    """Runs a command (a list) and returns the CompletedProcess with text
    stdout and stderr."""
    return subprocess.run(command, cwd=cwd, env=env, input=input, capture_output=True, text=True,
                          timeout=timeout)
