"""The host half of Osprey's transcript tests, shared by the host_compare.py
scripts: a test program's output on the host Linux must equal the expected
file that the QEMU groups hold Osprey's output to, so both are held to Linux.
"""
import pathlib


def matches(label, result, expected, ran=True):
    """Prints PASS, or FAIL with the lines that differ; True on PASS.
    `result` is a subprocess.CompletedProcess with text output; `ran` is
    False when the run's own setup failed."""
    if ran and result.returncode == 0 and result.stdout == expected:
        print(f"PASS {label}")
        return True
    got = result.stdout.splitlines()
    want = expected.splitlines()
    for number in range(max(len(got), len(want))):
        left = got[number] if number < len(got) else "<missing>"
        right = want[number] if number < len(want) else "<missing>"
        if left != right:
            print(f"line {number + 1}:\n  host:     {left!r}\n  expected: {right!r}")
    if result.stderr:
        print(f"--- host stderr\n{result.stderr}", end="")
    print(f"FAIL {label}: status {result.returncode}" + ("" if ran else " (setup failed)"))
    return False


def compare_families(families, expected_directory, run):
    """Runs each family with run(family) -> (CompletedProcess, ran) and holds
    it to expected_directory/<family>.txt; the script's exit status."""
    failures = 0
    for family in families:
        result, ran = run(family)
        expected = (pathlib.Path(expected_directory) / f"{family}.txt").read_text()
        if not matches(family, result, expected, ran):
            failures += 1
    print(f"host_compare: {len(families) - failures} passed, {failures} failed")
    return 1 if failures else 0
