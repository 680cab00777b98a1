#!/usr/bin/env python3
"""userland.coreutils: the Osprey utilities on the host. Deterministic
outputs are compared with GNU coreutils (LC_ALL=C, TZ=UTC), error messages
with GNU's wording where ours follows it, and file-system effects by looking
at the resulting files."""

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from harness import Checker, host_environment, osprey_environment, parse_arguments, run

TEXT = "hello world\nfoo bar baz\n  spaced   out  \nHELLO again\n\ttabbed\tline\nlast line, no newline"
NUMBERS = "".join(f"{n}\n" for n in range(1, 41))


class Context:
    def __init__(self, arguments, checker, directory):
        self.arguments = arguments
        self.checker = checker
        self.directory = directory

    def ours(self, command, input=None, cwd=None):
        program = os.path.join(self.arguments.bin_dir, command[0])
        return run([program] + command[1:], cwd=cwd or self.directory, env=osprey_environment(self.arguments),
                   input=input)

    def host(self, command, input=None, cwd=None):
        return run(command, cwd=cwd or self.directory, env=host_environment(), input=input)

    def same_as_host(self, name, command, input=None, host_command=None, compare_stderr=False):
        mine = self.ours(command, input)
        reference = self.host(host_command or command, input)
        actual = (mine.stdout, mine.returncode)
        expected = (reference.stdout, reference.returncode)
        if compare_stderr:
            actual += (mine.stderr,)
            expected += (reference.stderr,)
        return self.checker.equal(f"{name}: same as GNU", actual, expected)

    def fails_with(self, name, command, message, status=None):
        result = self.ours(command)
        ok = result.returncode != 0 and (status is None or result.returncode == status)
        ok = ok and result.stderr.startswith(f"{command[0]}: ") and message in result.stderr
        return self.checker.check(f"{name}: error", ok, f"status {result.returncode}, stderr {result.stderr!r}")

    def path(self, *parts):
        return os.path.join(self.directory, *parts)


def write(path, text, mode=None):
    with open(path, "w") as handle:
        handle.write(text)
    if mode is not None:
        os.chmod(path, mode)


def tree(root):
    """A comparable description of a file tree: names, types, modes, contents."""
    entries = []
    for directory, names, files in os.walk(root):
        names.sort()
        for name in sorted(names + files):
            path = os.path.join(directory, name)
            status = os.lstat(path)
            relative = os.path.relpath(path, root)
            if stat.S_ISLNK(status.st_mode):
                entries.append((relative, "link", os.readlink(path)))
            elif stat.S_ISDIR(status.st_mode):
                entries.append((relative, "dir", oct(status.st_mode & 0o7777)))
            else:
                with open(path, "rb") as handle:
                    entries.append((relative, "file", oct(status.st_mode & 0o7777), handle.read()))
    return entries


def make_sample_tree(root):
    os.makedirs(os.path.join(root, "sub", "deeper"))
    write(os.path.join(root, "a.txt"), "alpha\n")
    write(os.path.join(root, "run.sh"), "echo hi\n", 0o755)
    write(os.path.join(root, "sub", "b.txt"), "beta\n" * 1000)
    write(os.path.join(root, "sub", "deeper", "c"), "")
    os.symlink("a.txt", os.path.join(root, "link-to-a"))
    os.symlink("/nonexistent/target", os.path.join(root, "dangling"))


def test_text_tools(context):
    write(context.path("text"), TEXT)
    write(context.path("numbers"), NUMBERS)
    write(context.path("empty"), "")
    for command in (["wc", "text"], ["wc", "-l", "text"], ["wc", "-w", "text"], ["wc", "-c", "numbers"],
                    ["wc", "text", "numbers", "empty"], ["wc", "-lc", "numbers", "text"],
                    ["head", "text"], ["head", "-n", "3", "numbers"], ["head", "-5", "numbers"],
                    ["head", "-c", "7", "text"], ["head", "-n", "2", "text", "numbers"], ["head", "-n", "0", "text"],
                    ["tail", "numbers"], ["tail", "-n", "2", "text"], ["tail", "-3", "numbers"],
                    ["tail", "-n", "+38", "numbers"], ["tail", "-c", "5", "text"], ["tail", "-n", "1", "text", "numbers"],
                    ["cat", "text", "numbers"], ["cat", "-n", "text"],
                    ["grep", "o", "text"], ["grep", "-c", "o", "text"], ["grep", "-n", "-i", "hello", "text"],
                    ["grep", "-v", "o", "text"], ["grep", "^h", "text"], ["grep", "e$", "text"],
                    ["grep", "-c", "[0-9]5", "numbers"], ["grep", "-c", "^[^1-3]", "numbers"], ["grep", "l*o", "text"],
                    ["grep", "-n", "^.a", "text"], ["grep", "xyz", "text"], ["grep", "-i", "h.llo", "text", "numbers"],
                    ["grep", "-l", "1", "text", "numbers"], ["grep", "-F", ".", "numbers"], ["grep", "a.*a", "text"],
                    ["grep", "-c", "", "empty"], ["grep", "\\.", "text"], ["grep", "-h", "o", "text", "numbers"],
                    ["grep", "-q", "foo", "text"]):
        context.same_as_host(" ".join(command), command)
    for command in (["wc"], ["wc", "-c"], ["head", "-n", "2"], ["tail", "-n", "2"], ["grep", "-c", "1"], ["cat"]):
        context.same_as_host(" ".join(command) + " < stdin", command, input=NUMBERS)
    # Standard output fast path: the pipeline from the issue.
    result = run([os.path.join(context.arguments.bin_dir, "sh"), "-c", "echo hello | cat | wc -c"],
                 env=osprey_environment(context.arguments))
    context.checker.equal("echo hello | cat | wc -c", result.stdout, "6\n")


def test_echo(context):
    for command in (["echo", "a", "b"], ["echo", "-n", "x"], ["echo", "-e", "a\\tb\\x41\\0102\\\\"],
                    ["echo", "-e", "stop\\cnot"], ["echo", "--", "-n"], ["echo", "-nx"], ["echo"]):
        context.same_as_host(" ".join(command), command, host_command=["/bin/echo"] + command[1:])


def test_files(context):
    checker = context.checker
    make_sample_tree(context.path("src"))

    # ls against GNU ls -n (numeric owners, as Osprey has no user database).
    os.utime(context.path("src", "a.txt"), (0, 1_000_000_000))
    for arguments in (["-l", "src"], ["-la", "src"], ["-l", "src/sub", "src/a.txt", "src/link-to-a"], ["src"],
                      ["-a", "src"], ["-A", "src"], ["-d", "src", "src/sub"], ["-l", "/dev/null"]):
        host = ["ls", "-n"] + arguments[1:] if arguments[0] == "-l" else ["ls"] + arguments
        if arguments[0] == "-la":
            host = ["ls", "-lan", "src"]
        context.same_as_host("ls " + " ".join(arguments), ["ls"] + arguments, host_command=host)
    context.same_as_host("ls missing", ["ls", "missing"], compare_stderr=True)

    # cp
    result = context.ours(["cp", "src/a.txt", "copy.txt"])
    checker.check("cp file", result.returncode == 0 and open(context.path("copy.txt")).read() == "alpha\n",
                  result.stderr)
    context.ours(["cp", "src/run.sh", "run-copy"])
    checker.equal("cp keeps the execute bits", oct(os.stat(context.path("run-copy")).st_mode & 0o111), "0o111")
    result = context.ours(["cp", "-r", "src", "copy"])
    checker.check("cp -r status", result.returncode == 0, result.stderr)
    checker.equal("cp -r copies the tree", tree(context.path("copy")), tree(context.path("src")))
    os.mkdir(context.path("into"))
    context.ours(["cp", "src/a.txt", "src/run.sh", "into"])
    checker.equal("cp into a directory", sorted(os.listdir(context.path("into"))), ["a.txt", "run.sh"])
    context.same_as_host("cp directory without -r", ["cp", "src", "x"], compare_stderr=True)
    context.same_as_host("cp same file", ["cp", "src/a.txt", "src/a.txt"], compare_stderr=True)
    context.same_as_host("cp missing source", ["cp", "nope", "x"], compare_stderr=True)
    context.fails_with("cp into itself", ["cp", "-r", "copy", "copy/sub/inside"], "into itself")
    context.fails_with("cp missing operand", ["cp", "only"], "missing destination file operand")

    # mv
    write(context.path("m1"), "move me\n")
    result = context.ours(["mv", "m1", "m2"])
    checker.check("mv renames", result.returncode == 0 and not os.path.exists(context.path("m1"))
                  and open(context.path("m2")).read() == "move me\n", result.stderr)
    context.ours(["mv", "m2", "into"])
    checker.check("mv into a directory", os.path.exists(context.path("into", "m2")))
    context.same_as_host("mv missing source", ["mv", "nope", "x"], compare_stderr=True)
    context.fails_with("mv into itself", ["mv", "copy", "copy/sub"], "subdirectory of itself")
    other = "/dev/shm"
    if os.path.isdir(other) and os.stat(other).st_dev != os.stat(context.directory).st_dev:
        target = tempfile.mkdtemp(prefix="osprey-mv-", dir=other)
        try:
            expected = tree(context.path("copy"))
            result = context.ours(["mv", "copy", os.path.join(target, "moved")])
            checker.check("mv across file systems (EXDEV): status", result.returncode == 0, result.stderr)
            checker.equal("mv across file systems: tree", tree(os.path.join(target, "moved")), expected)
            checker.check("mv across file systems: source removed", not os.path.exists(context.path("copy")))
        finally:
            shutil.rmtree(target)
    else:
        print("SKIP mv across file systems: no second file system at /dev/shm")

    # mkdir, rmdir, rm
    result = context.ours(["mkdir", "-p", "p/q/r"])
    checker.check("mkdir -p", result.returncode == 0 and os.path.isdir(context.path("p", "q", "r")), result.stderr)
    checker.equal("mkdir -p on an existing tree", context.ours(["mkdir", "-p", "p/q"]).returncode, 0)
    context.same_as_host("mkdir existing", ["mkdir", "p"], compare_stderr=True)
    context.same_as_host("mkdir without parent", ["mkdir", "x/y"], compare_stderr=True)
    context.same_as_host("rmdir non-empty", ["rmdir", "p"], compare_stderr=True)
    checker.equal("rmdir empty", context.ours(["rmdir", "p/q/r"]).returncode, 0)
    context.same_as_host("rm directory without -r", ["rm", "p"], compare_stderr=True)
    context.same_as_host("rm missing", ["rm", "nope"], compare_stderr=True)
    context.same_as_host("rm -f missing", ["rm", "-f", "nope"], compare_stderr=True)
    result = context.ours(["rm", "-r", "p", "into"])
    checker.check("rm -r", result.returncode == 0 and not os.path.exists(context.path("p"))
                  and not os.path.exists(context.path("into")), result.stderr)
    if os.geteuid() != 0:  # root may remove anything
        os.chmod(context.path("src", "sub", "deeper"), 0o500)
        result = context.ours(["rm", "-r", "src/sub"])
        os.chmod(context.path("src", "sub", "deeper"), 0o700)
        checker.check("rm -r reports what it cannot remove", result.returncode == 1 and "cannot remove" in result.stderr,
                      result.stderr)

    # touch
    write(context.path("old"), "")
    os.utime(context.path("old"), (1000, 1000))
    result = context.ours(["touch", "old", "new"])
    checker.check("touch creates and updates", result.returncode == 0 and os.path.exists(context.path("new"))
                  and abs(os.stat(context.path("old")).st_mtime - time.time()) < 60, result.stderr)
    context.same_as_host("touch in a missing directory", ["touch", "no/such"], compare_stderr=True)

    # ln
    result = context.ours(["ln", "-s", "src/a.txt", "soft"])
    checker.check("ln -s", result.returncode == 0 and os.readlink(context.path("soft")) == "src/a.txt", result.stderr)
    result = context.ours(["ln", "src/a.txt", "hard"])
    checker.check("ln (hard)", result.returncode == 0 and os.stat(context.path("hard")).st_nlink == 2, result.stderr)
    context.same_as_host("ln -s onto an existing file", ["ln", "-s", "x", "soft"], compare_stderr=True)
    context.same_as_host("ln missing target", ["ln", "nope", "x"], compare_stderr=True)

    # stat
    fields = "%n|%s|%a|%A|%F|%h|%u|%g|%i|%Y|%X|%Z|%b|%N"
    write(context.path("it's"), "")
    context.same_as_host("stat -c", ["stat", "-c", fields, "src/a.txt", "src", "soft", "src/run.sh", "/dev/null",
                                     "it's", "empty-does-not-exist"])
    context.same_as_host("stat -L -c", ["stat", "-L", "-c", fields, "soft"])
    result = context.ours(["stat", "src/a.txt"])
    checker.check("stat default layout", result.returncode == 0 and "  File: src/a.txt\n  Size: 6 " in result.stdout
                  and "Access: (0644/-rw-r--r--)" in result.stdout and "regular file" in result.stdout, result.stdout)
    context.fails_with("stat missing", ["stat", "nope"], "cannot stat 'nope': No such file or directory", status=1)


def test_system_tools(context):
    checker = context.checker
    sh = os.path.join(context.arguments.bin_dir, "sh")
    environment = osprey_environment(context.arguments)

    # ps: the shell running it must be listed with its name and state. A
    # process whose arguments hold a newline must still take one line.
    odd = subprocess.Popen(["line\nbreak", "30"], executable="/bin/sleep")
    try:
        result = run([sh, "-c", "ps; echo shell=$$"], env=environment)
    finally:
        odd.kill()
        odd.wait()
    lines = result.stdout.splitlines()
    shell_pid = lines[-1].split("=")[1]
    header = lines[0].split()
    checker.equal("ps header", header, ["PID", "PPID", "STATE", "TIME", "CSW", "THR", "NAME", "COMMAND"])
    checker.check("ps prints no blank lines", all(line.split() for line in lines), result.stdout)
    rows = {line.split()[0]: line.split() for line in lines[1:-1] if line.split()}
    row = rows.get(shell_pid)
    checker.check("ps lists the shell", row is not None and row[6] == "sh" and row[2] in "RSD",
                  f"rows for {shell_pid}: {row}")
    checker.check("ps shows the shell's CPU time and context switches",
                  row is not None and re.fullmatch(r"\d+:\d\d\.\d\d", row[3]) is not None and row[4].isdigit()
                  and int(row[4]) > 0, f"rows for {shell_pid}: {row}")
    checker.check("ps shows the shell's thread count (1)", row is not None and row[5] == "1", f"rows for {shell_pid}: {row}")
    ps_rows = [r for r in rows.values() if r[6] == "ps"]
    checker.check("ps lists itself as running with its parent",
                  len(ps_rows) == 1 and ps_rows[0][2] == "R" and ps_rows[0][1] == shell_pid, str(ps_rows))
    checker.check("ps lists pid 1", "1" in rows, str(list(rows)[:5]))
    odd_row = rows.get(str(odd.pid))
    checker.check("ps shows control characters as '?'", odd_row is not None and odd_row[7:] == ["line?break", "30"],
                  str(odd_row))

    # kill
    context.same_as_host("kill -l 9", ["kill", "-l", "9"], host_command=["/bin/kill", "-l", "9"])
    result = context.ours(["kill", "-l"])
    checker.check("kill -l lists names", result.stdout.split()[:3] == ["HUP", "INT", "QUIT"] and "TERM" in result.stdout,
                  result.stdout)
    result = run([sh, "-c", "sleep 10 & kill -KILL $!; wait $!; echo $?; sleep 10 & kill -s TERM $!; wait $!; echo $?;"
                  " sleep 10 & kill $!; wait $!; echo $?"], env=environment)
    checker.equal("kill -KILL, -s TERM and the default TERM", result.stdout, "137\n143\n143\n")
    context.fails_with("kill a missing process", ["kill", "999999999"], "No such process")
    context.fails_with("kill with a bad signal", ["kill", "-BOGUS", "1"], "invalid signal")

    # uname: as GNU uname on the same kernel (GNU -a adds fields; compare -snrvm).
    for arguments in ([], ["-s"], ["-r"], ["-m"], ["-n"], ["-s", "-m"]):
        context.same_as_host("uname " + " ".join(arguments), ["uname"] + arguments)
    context.same_as_host("uname -a", ["uname", "-a"], host_command=["uname", "-snrvm"])
    context.fails_with("uname extra operand", ["uname", "x"], "extra operand")

    # sleep
    start = time.monotonic()
    result = context.ours(["sleep", "0.3"])
    elapsed = time.monotonic() - start
    checker.check("sleep 0.3", result.returncode == 0 and 0.29 <= elapsed < 2.0, f"{elapsed:.3f} s")
    context.fails_with("sleep bad interval", ["sleep", "1x"], "invalid time interval")
    context.fails_with("sleep no operand", ["sleep"], "missing operand")

    # env
    result = context.ours(["env", "-i", "A=1", "B=two words"])
    checker.equal("env -i with assignments", result.stdout, "A=1\nB=two words\n")
    result = run([os.path.join(context.arguments.bin_dir, "env"), "-u", "HOME", "X=1", "env"], env=environment)
    checker.check("env -u and running a command", "X=1\n" in result.stdout and "HOME=" not in result.stdout,
                  result.stdout)
    result = context.ours(["env", "nosuchcommand"])
    checker.check("env missing command", result.returncode == 127 and "env: 'nosuchcommand'" in result.stderr,
                  f"{result.returncode} {result.stderr!r}")

    checker.equal("true", context.ours(["true", "ignored"]).returncode, 0)
    checker.equal("false", context.ours(["false"]).returncode, 1)
    checker.equal("clear", context.ours(["clear"]).stdout, "\x1b[H\x1b[2J\x1b[3J")

    # dmesg reads Osprey's /proc/dmesg; Linux has none.
    result = context.ours(["dmesg"])
    if os.path.exists("/proc/dmesg"):
        checker.equal("dmesg", result.returncode, 0)
    else:
        checker.check("dmesg without /proc/dmesg", result.returncode == 1
                      and result.stderr == "dmesg: /proc/dmesg: No such file or directory\n", result.stderr)

    # free: the total must be /proc/meminfo's MemTotal.
    result = context.ours(["free"])
    with open("/proc/meminfo") as handle:
        total = next(line.split()[1] for line in handle if line.startswith("MemTotal:"))
    lines = result.stdout.splitlines()
    checker.check("free", result.returncode == 0 and lines[0].split() == ["total", "used", "free", "shared",
                                                                         "buff/cache", "available"]
                  and lines[1].split()[:2] == ["Mem:", total] and lines[2].startswith("Swap:"), result.stdout)
    result = context.ours(["free", "-m"])
    checker.equal("free -m", result.stdout.splitlines()[1].split()[1], str(int(total) // 1024))


def test_storage_tools(context):
    """find, du, chmod, chown, sync, df and mount against GNU and util-linux."""
    checker = context.checker
    make_sample_tree(context.path("src"))
    os.makedirs(context.path("src", "sub", "deeper"), exist_ok=True)
    write(context.path("src", "sub", "deeper", "z.txt"), "z" * 5000)
    os.link(context.path("src", "a.txt"), context.path("src", "sub", "hard-a"))
    for arguments in (["src"], ["src", "-name", "*.txt"], ["src", "-type", "d"], ["src", "-type", "l"],
                      ["src", "-type", "f", "-name", "[a-r]*"], ["src", "-maxdepth", "1"],
                      ["src", "-mindepth", "2", "-type", "f"], ["src/sub", "src/a.txt", "-name", "*a*"]):
        context.same_as_host("find " + " ".join(arguments), ["find"] + arguments)
    context.same_as_host("find missing", ["find", "nope"], compare_stderr=True)
    for arguments in (["src"], ["-a", "src"], ["-s", "src"], ["-b", "src"], ["-ab", "src"], ["src/a.txt"]):
        context.same_as_host("du " + " ".join(arguments), ["du"] + arguments)

    # chmod: the same modes applied by ours and GNU's to twin files.
    for mode in ("640", "0755", "u+x,go-r", "a=rX", "g=u", "o+t", "u-w", "=r", "+x", "ug+s"):
        for twin in ("ours", "gnu"):
            write(context.path(f"mode-{twin}"), "x", 0o644)
            os.makedirs(context.path(f"dir-{twin}"), exist_ok=True)
            os.chmod(context.path(f"dir-{twin}"), 0o700)
        mine = context.ours(["chmod", mode, "mode-ours", "dir-ours"])
        reference = context.host(["chmod", mode, "mode-gnu", "dir-gnu"])
        modes = [oct(os.stat(context.path(name)).st_mode & 0o7777) for name in ("mode-ours", "dir-ours")]
        expected = [oct(os.stat(context.path(name)).st_mode & 0o7777) for name in ("mode-gnu", "dir-gnu")]
        checker.equal(f"chmod {mode}: same modes as GNU", (modes, mine.returncode), (expected, reference.returncode))
    os.makedirs(context.path("tree-ours", "in"), exist_ok=True)
    write(context.path("tree-ours", "in", "f"), "f", 0o666)
    context.ours(["chmod", "-R", "go-w", "tree-ours"])
    checker.equal("chmod -R", oct(os.stat(context.path("tree-ours", "in", "f")).st_mode & 0o777), "0o644")
    result = context.ours(["chmod", "bogus", "mode-ours"])
    checker.check("chmod bad mode", result.returncode == 1 and "chmod: invalid mode: 'bogus'" in result.stderr,
                  result.stderr)
    context.same_as_host("chmod missing file", ["chmod", "644", "nope"], compare_stderr=True)

    # chown (the host runs the tests as root when it can; otherwise only the errors).
    if os.geteuid() == 0:
        write(context.path("owned"), "o")
        os.symlink("owned", context.path("owned-link"))
        result = context.ours(["chown", "12:34", "owned"])
        status = os.stat(context.path("owned"))
        checker.check("chown uid:gid", result.returncode == 0 and (status.st_uid, status.st_gid) == (12, 34),
                      result.stderr)
        context.ours(["chown", ":56", "owned"])
        status = os.stat(context.path("owned"))
        checker.equal("chown :gid keeps the owner", (status.st_uid, status.st_gid), (12, 56))
        context.ours(["chown", "-h", "78", "owned-link"])
        checker.equal("chown -h changes the link", (os.lstat(context.path("owned-link")).st_uid,
                                                    os.stat(context.path("owned")).st_uid), (78, 12))
        context.ours(["chown", "-R", "9", "src"])
        checker.equal("chown -R", os.stat(context.path("src", "sub", "deeper", "z.txt")).st_uid, 9)
    context.same_as_host("chown missing file", ["chown", "1", "nope"], compare_stderr=True)
    result = context.ours(["chown", "someone", "src"])
    checker.check("chown by name is refused", result.returncode == 1 and "invalid user: 'someone'" in result.stderr,
                  result.stderr)

    checker.equal("sync", context.ours(["sync"]).returncode, 0)
    checker.equal("sync file", context.ours(["sync", "src/a.txt"]).returncode, 0)
    context.same_as_host("sync missing file", ["sync", "nope"], compare_stderr=True)

    # df: the same filesystem and size as GNU's for this directory.
    mine = context.ours(["df", "."]).stdout.splitlines()
    reference = context.host(["df", "-P", "."]).stdout.splitlines()
    checker.check("df header", mine and mine[0].split() == ["Filesystem", "1K-blocks", "Used", "Available", "Use%",
                                                            "Mounted", "on"], "\n".join(mine))
    if len(mine) == 2 and len(reference) == 2:
        checker.equal("df .: same filesystem and size as GNU", (mine[1].split()[0], mine[1].split()[1],
                                                                mine[1].split()[-1]),
                      (reference[1].split()[0], reference[1].split()[1], reference[1].split()[-1]))
    else:
        checker.check("df . prints one filesystem", False, "\n".join(mine))
    # mount: the listing has util-linux's shape and names /proc.
    result = context.ours(["mount"])
    checker.check("mount lists proc", result.returncode == 0
                  and any(line.startswith("proc on /proc type proc (") for line in result.stdout.splitlines()),
                  result.stdout)
    result = context.ours(["umount"])
    checker.check("umount without operand", result.returncode != 0 and result.stderr.startswith("umount: "),
                  result.stderr)


def test_help(context):
    result = context.ours(["help"])
    names = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    programs = set(os.listdir(context.arguments.bin_dir)) - {"init"}
    builtins = {"cd", "pwd", "exit", "export", "unset", "jobs", "fg", "bg", "wait", "history"}
    context.checker.check("help lists every utility", programs <= names, f"missing {sorted(programs - names)}")
    context.checker.check("help lists every builtin", builtins <= names, f"missing {sorted(builtins - names)}")


def test_errors(context):
    """Every utility that takes files reports a missing one and fails."""
    for command in (["cat", "nope"], ["head", "nope"], ["tail", "nope"], ["wc", "nope"], ["grep", "x", "nope"],
                    ["ls", "nope"], ["stat", "nope"], ["rm", "nope"], ["rmdir", "nope"], ["cp", "nope", "x"],
                    ["mv", "nope", "x"], ["ln", "nope", "x"]):
        context.fails_with(" ".join(command), command, "No such file or directory")
    for command in (["ls", "-Z"], ["cat", "-Z"], ["wc", "-Z"], ["head", "-Z"], ["grep", "-Z", "x"], ["mkdir", "-Z"]):
        context.fails_with(" ".join(command), command, "invalid option")
    for command in (["head", "-n", "x"], ["tail", "-n", "x"]):
        context.fails_with(" ".join(command), command, "invalid number of lines")
    context.fails_with("grep bad bracket", ["grep", "[abc", "nope"], "Unmatched [", status=2)
    context.fails_with("cat a directory", ["cat", "/"], "Is a directory")
    context.fails_with("mkdir no operand", ["mkdir"], "missing operand")


def main():
    arguments = parse_arguments()
    checker = Checker("userland.coreutils")
    for test in (test_text_tools, test_echo, test_files, test_system_tools, test_storage_tools, test_help,
                 test_errors):
        with tempfile.TemporaryDirectory(prefix="osprey-coreutils-") as directory:
            test(Context(arguments, checker, directory))
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
