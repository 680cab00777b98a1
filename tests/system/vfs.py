#!/usr/bin/env python3
"""system.vfs: one boot of the default entry (init starts /bin/sh), then over the
serial shell:

- /test/vfs_test (userland/test/vfs/vfs_test.c), one family per run (paths, perms,
  mmap, statfs), from /tmp; each transcript must equal the host Linux's
  (userland/test/vfs/expected/, checked on the host by host.vfs_transcripts);
- /test/vfslife_test (userland/test/vfslife/vfslife_test.c): unlinked files freed
  at the last close/munmap/exit, SIGBUS past the end of a mapped file,
  RENAME_NOREPLACE racing, atime rules (relatime, noatime, strictatime,
  nodiratime, O_NOATIME); transcripts held to userland/test/vfslife/expected/;
- the storage utilities: mount (listing and mounting a tmpfs with size=), df, du,
  sync, find by -name and -type, chmod (octal and symbolic), chown, umount (busy,
  then not), and that cp -r, mv across filesystems, ls -l and stat show what they
  should.
"""
import pathlib
import re

from osprey_harness import DEFAULT_ENTRY, HarnessError, indent, run_group, tail, terminal_text
from shell_session import Sh, check_command as command

FAMILIES = ("paths", "perms", "mmap", "statfs")
EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "vfs" / "expected"
LIFE_FAMILIES = ("unlinked", "sigbus", "noreplace", "atime")
LIFE_EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "vfslife" / "expected"


def check_family(group, sh, family, program="vfs_test", expected_directory=EXPECTED):
    try:
        output, status = sh.run(f"cd /tmp && /test/{program} {family}; cd /", timeout=180)
    except HarnessError as error:
        group.check(f"{family}: runs", False, str(error))
        return
    group.check(f"{family}: no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex(f"{family}: summary with 0 failed", rf"^{family}: 0 failed$", output)
    expected = (expected_directory / f"{family}.txt").read_text().splitlines()
    lines = [line for line in output.splitlines() if not line.startswith("user: ")]
    group.check(f"{family}: transcript equals the host Linux's", lines == expected,
                indent("\n".join(lines)) + "\n--- expected\n" + indent("\n".join(expected)))


def check_utilities(group, sh):
    command(group, sh, "mount", r"(?m)^proc on /proc type proc \(rw,relatime\)$")
    command(group, sh, "mount", r"(?m)^tmpfs on /tmp type tmpfs \(rw,relatime,size=\d+k\)$")
    command(group, sh, "mkdir -p /mnt/scratch && mount -t tmpfs -o size=2m none /mnt/scratch", r"^$")
    command(group, sh, "mount | grep scratch", r"^none on /mnt/scratch type tmpfs \(rw,relatime,size=2048k\)$")
    command(group, sh, "df /mnt/scratch", r"(?m)^Filesystem\s+1K-blocks\s+Used\s+Available\s+Use% Mounted on\n"
            r"none\s+2048\s+0\s+2048\s+0% /mnt/scratch$")
    command(group, sh, "mount -t nosuchfs none /mnt/scratch", r"unknown filesystem type 'nosuchfs'", status=32)

    # A small tree: find, du, chmod, chown, ls -l, stat.
    command(group, sh, "cd /mnt/scratch && mkdir -p tree/sub && echo one > tree/a.txt && echo two > tree/sub/b.txt"
            " && echo three > tree/c.log && ln -s a.txt tree/link; cd /", r"^$")
    command(group, sh, "find /mnt/scratch/tree -name '*.txt'",
            r"^/mnt/scratch/tree/sub/b\.txt\n/mnt/scratch/tree/a\.txt$")  # directory order
    command(group, sh, "find /mnt/scratch/tree -type d", r"^/mnt/scratch/tree\n/mnt/scratch/tree/sub$")
    command(group, sh, "find /mnt/scratch/tree -type l", r"^/mnt/scratch/tree/link$")
    command(group, sh, "find /mnt/scratch/nothing", r"find: '/mnt/scratch/nothing': No such file or directory",
            status=1)
    command(group, sh, "du -s /mnt/scratch/tree", r"^12\s+/mnt/scratch/tree$")
    command(group, sh, "du -b /mnt/scratch/tree/a.txt", r"^4\s+/mnt/scratch/tree/a\.txt$")
    command(group, sh, "df /mnt/scratch", r"(?m)^none\s+2048\s+12\s+2036\s+1% /mnt/scratch$")
    command(group, sh, "chmod 750 /mnt/scratch/tree/a.txt && stat -c '%a %A' /mnt/scratch/tree/a.txt",
            r"^750 -rwxr-x---$")
    command(group, sh, "chmod go+r,u-x /mnt/scratch/tree/a.txt && stat -c '%a' /mnt/scratch/tree/a.txt", r"^654$")
    command(group, sh, "chmod -R a-w /mnt/scratch/tree/sub && stat -c '%a' /mnt/scratch/tree/sub/b.txt", r"^444$")
    command(group, sh, "chmod bogus /mnt/scratch/tree/a.txt", r"chmod: invalid mode: 'bogus'", status=1)
    command(group, sh, "chown 12:34 /mnt/scratch/tree/a.txt && stat -c '%u %g' /mnt/scratch/tree/a.txt", r"^12 34$")
    command(group, sh, "chown -h 5 /mnt/scratch/tree/link && stat -c '%u' /mnt/scratch/tree/link "
            "/mnt/scratch/tree/a.txt", r"^5\n12$")
    command(group, sh, "ls -l /mnt/scratch/tree/a.txt",
            r"^-rw-r-xr-- 1 12 34 4 \w{3} [ \d]\d [ \d]\d[:\d]\d\d /mnt/scratch/tree/a\.txt$")
    command(group, sh, "stat /mnt/scratch/tree/c.log", r"(?s)Size: 6\s.*regular file.*Access: \(0644/-rw-r--r--\)")

    # Copies and moves across filesystems.
    command(group, sh, "cp -r /mnt/scratch/tree /tree_copy && cat /tree_copy/sub/b.txt", r"^two$")
    command(group, sh, "mv /tree_copy /mnt/scratch/moved && cat /mnt/scratch/moved/a.txt && ls /tree_copy",
            r"^one\nls: cannot access '/tree_copy': No such file or directory$", status=2)
    command(group, sh, "sync && sync /mnt/scratch/moved/a.txt", r"^$")

    # umount: busy while something is open or is the cwd, then not.
    command(group, sh, "cd /mnt/scratch", r"^$")
    command(group, sh, "umount /mnt/scratch", r"umount: /mnt/scratch: target is busy\.", status=32)
    command(group, sh, "cd /", r"^$")
    command(group, sh, "umount /mnt/scratch && ls /mnt/scratch | wc -l", r"^0$")
    command(group, sh, "umount /mnt/scratch", r"umount: /mnt/scratch: not mounted\.", status=32)
    command(group, sh, "df", r"(?m)^tmpfs\s+\d+\s+\d+\s+\d+\s+\d+% /tmp$")


def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    qemu = shell.qemu
    try:
        qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
    except HarnessError as error:
        group.check("the default entry starts /bin/sh", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
        return
    qemu.wait_quiet(0.5, 5)
    sh = Sh(qemu, group.args.command_timeout)
    for family in FAMILIES:
        group.step(family, check_family, group, sh, family)
    for family in LIFE_FAMILIES:
        group.step(family, check_family, group, sh, family, "vfslife_test", LIFE_EXPECTED)
    group.step("utilities", check_utilities, group, sh)
    try:
        output, _ = sh.run("echo alive")
        group.check("the shell answers at the end", "alive" in output, indent(output))
    except HarnessError as error:
        group.check("the shell answers at the end", False, str(error))
    group.check("no kernel panic", "PANIC" not in terminal_text(qemu.raw).upper().replace("NO KERNEL PANIC", ""),
                indent(tail(terminal_text(qemu.raw))))


if __name__ == "__main__":
    run_group("system.vfs", body)
