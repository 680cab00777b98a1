#!/usr/bin/env python3
"""system.ext4_disks: ext4 on virtio-blk and AHCI from the shell, checked by e2fsprogs.

One boot of the default entry (/bin/sh) with these disks, all made on the host:

- vda (virtio-blk) and sda (AHCI): `mkfs.ext4 -d` of a tree filled in from the host
  (an empty file, sizes around block boundaries, a multi-MiB file, nested
  directories, a fast and a slow symlink). From the shell both are mounted, listed
  (find, ls -l) and read (FNV-1a sums by /test/ext4test, compared with the host's);
  then files are created, written, copied between the disks (cp, cp -r), renamed,
  moved across them, deleted, directories made and removed; sync, umount, a second
  mount re-reads everything from the disks; /test/ext4bench runs small sizes on
  both (format checks only); umount. After QEMU is gone `e2fsck -fn` must find
  both images clean and `debugfs` must show what the shell wrote.
- vdb: an ext4 image whose superblock is corrupt: mount fails with a clear error
  and the shell still answers.
- vdc...: a sample of e2fsprogs' hostile test images (../shared/testdata, skipped
  when absent): each is mounted, walked (lstat, readlink, read every file) and
  unmounted; the kernel must not panic and the shell must answer after each.
- file lifetime on vda: /test/vfslife_test's `unlinked`, `sigbus`, `noreplace` and
  `atime` transcripts equal the host's (tmpfs); `syncmap` finds a MAP_SHARED store on
  /dev/vda after sync(2) alone; a file unlinked while a background `sleep` holds it
  heads the on-disk orphan list (debugfs on the host) and is freed, off the list,
  once the sleep is killed.

OSPREY_EXT4_BENCH="<MiB> <files>" runs the benchmark with those sizes on larger
disks (the figures in docs/performance.md: "256 10000"); OSPREY_EXT4_HOSTILE="<image
names>" attaches other e2fsprogs images than the sample.
"""
import gzip
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from osprey_harness import DEFAULT_ENTRY, HarnessError, indent, run_group, tail, terminal_text
from shell_session import Sh, check_command as command

MIB = 1024 * 1024
FNV_OFFSET = 0xcbf29ce484222325
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Files the host puts into both images: path -> (size, seed).
HOST_FILES = {
    "empty": (0, 1),
    "small.txt": (11, 2),
    "block.bin": (4096, 3),
    "block_plus.bin": (4097, 4),
    "medium.bin": (100 * 1024 + 7, 5),
    "big.bin": (3 * MIB + 123, 6),
    "a/one.txt": (300, 7),
    "a/b/two.bin": (65536, 8),
    "a/b/c/deep.bin": (7000, 9),
}
HOST_DIRS = ["a", "a/b", "a/b/c", "emptydir"]
FAST_LINK = ("link", "a/b/c/deep.bin")
SLOW_LINK = ("slowlink", "a/b/c/../../../" * 4 + "a/b/c/deep.bin")  # longer than 60 bytes

# A sample of e2fsprogs' damaged images: directories, extent trees, htrees,
# symlinks, duplicate blocks, orphans, journals to replay, bad inode tables, a
# zeroed superblock, a huge sparse file, bad extended attributes.
HOSTILE = ["f_baddir", "f_dup", "f_extent_bad_node", "f_extent_too_deep", "f_h_badnode", "f_badsymlinks",
           "f_dir_bad_csum", "f_orphan", "j_corrupt_revoke_block", "f_zero_super", "f_badtable",
           "f_illitable_flexbg", "f_extent_int_bad_magic", "f_holedir4", "f_dup_de", "f_trunc_dirent_header",
           "j_corrupt_commit_csum", "f_badorphan", "f_big_sparse", "f_ea_value_crash"]


def fnv1a(data):
    value = FNV_OFFSET
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def host_bytes(length, seed):
    """Host-written data: a linear congruential generator, not ext4test's pattern."""
    state = seed * 2654435761 & 0xFFFFFFFF
    out = bytearray(length)
    for i in range(length):
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = state >> 16 & 0xFF
    return bytes(out)


def pattern(length, seed):
    """The bytes `ext4test fill` writes."""
    return bytes(((i * 131 + seed * 7 + (i >> 9)) & 0xFF) for i in range(length))


def alive(group, sh, after):
    try:
        output, status = sh.run("echo alive")
        group.check(f"the shell answers after {after}", status == 0 and output == "alive", indent(output))
    except HarnessError as error:
        group.check(f"the shell answers after {after}", False, str(error))


def make_tree(directory):
    for name in HOST_DIRS:
        os.makedirs(os.path.join(directory, name), exist_ok=True)
    for name, (size, seed) in HOST_FILES.items():
        with open(os.path.join(directory, name), "wb") as file:
            file.write(host_bytes(size, seed))
    for name, target in (FAST_LINK, SLOW_LINK):
        os.symlink(target, os.path.join(directory, name))


def mkfs(image, size, tree=None):
    with open(image, "wb") as file:
        file.truncate(size)
    arguments = ["mkfs.ext4", "-q", "-F"] + (["-d", tree] if tree else []) + [image]
    subprocess.run(arguments, check=True, capture_output=True, env=dict(os.environ, E2FSPROGS_FAKE_TIME="0"))


def corrupt_superblock(image):
    """s_log_block_size (offset 24 of the superblock at 1024) far out of range."""
    with open(image, "r+b") as file:
        file.seek(1024 + 24)
        file.write((40).to_bytes(4, "little"))


def testdata_directory():
    for base in (os.path.join(SOURCE_ROOT, ".."), os.path.join(SOURCE_ROOT, "..", "..")):
        candidate = os.path.join(base, "shared", "testdata", "e2fsprogs-images")
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
    return None


def hostile_images(directory):
    """HOSTILE, or the names in OSPREY_EXT4_HOSTILE (at most 20: one virtio-blk device each)."""
    source = testdata_directory()
    if not source:
        print("system.ext4_disks: ../shared/testdata/e2fsprogs-images is missing; hostile images skipped", flush=True)
        return []
    images = []
    for name in os.environ.get("OSPREY_EXT4_HOSTILE", " ".join(HOSTILE)).split()[:20]:
        packed = os.path.join(source, name + ".img.gz")
        plain = os.path.join(source, name + ".img")
        if os.path.exists(packed):
            with gzip.open(packed, "rb") as file:
                data = file.read()
        elif os.path.exists(plain):
            with open(plain, "rb") as file:
                data = file.read()
        else:
            continue
        path = os.path.join(directory, name + ".img")
        with open(path, "wb") as file:
            file.write(data)
            file.truncate(max(len(data) + (-len(data)) % 4096, 4096))
        images.append((name, path))
    return images


def virtio(path, index):
    return ["-drive", f"file={path},if=none,id=disk{index},format=raw", "-device", f"virtio-blk-pci,drive=disk{index}"]


def sums(group, sh, root, files, what):
    paths = " ".join(f"{root}/{name}" for name in files)
    output, status = sh.run(f"/test/ext4test sum {paths}", timeout=120)
    group.check(f"{what}: ext4test sum exits with 0", status == 0, indent(output))
    for name, data in files.items():
        expected = f"sum {root}/{name} {len(data)} {fnv1a(data):016x}"
        group.check(f"{what}: {root}/{name} holds the expected {len(data)} bytes", expected in output.splitlines(),
                    f"expected {expected}\n{indent(output)}")


def host_contents():
    return {name: host_bytes(size, seed) for name, (size, seed) in HOST_FILES.items()}


def check_listing(group, sh, root):
    output, status = sh.run(f"find {root}")
    found = set(output.splitlines())
    expected = {root, f"{root}/lost+found", f"{root}/{FAST_LINK[0]}", f"{root}/{SLOW_LINK[0]}"}
    expected |= {f"{root}/{name}" for name in list(HOST_FILES) + HOST_DIRS}
    group.check(f"find {root} lists the host's tree", status == 0 and found == expected,
                f"missing {sorted(expected - found)}, extra {sorted(found - expected)}\n{indent(output)}")
    command(group, sh, f"find {root} -type l", rf"^{root}/(slow)?link\n{root}/(slow)?link$")
    command(group, sh, f"ls -l {root}/{FAST_LINK[0]}", rf" {root}/link -> {re.escape(FAST_LINK[1])}$")
    command(group, sh, f"ls -l {root}/{SLOW_LINK[0]}", rf" {root}/slowlink -> {re.escape(SLOW_LINK[1])}$")
    command(group, sh, f"ls -l {root}/big.bin", rf"^-rw-r--r-- 1 \d+ \d+ {3 * MIB + 123} .* {root}/big\.bin$")
    command(group, sh, f"ls -1 {root}/a/b", r"^c\ntwo\.bin$")
    sums(group, sh, root, {FAST_LINK[0]: host_bytes(7000, 9), SLOW_LINK[0]: host_bytes(7000, 9)},
         f"through the symlinks of {root}")


def check_host_tree(group, sh):
    command(group, sh, "mkdir -p /mnt/v /mnt/s /mnt/c /mnt/h", r"^$")
    command(group, sh, "mount -t ext4 /dev/vda /mnt/v", r"^$")
    command(group, sh, "mount /dev/sda /mnt/s", r"^$")
    command(group, sh, "mount | grep /mnt/", r"^/dev/vda on /mnt/v type ext4 \(rw.*\)\n/dev/sda on /mnt/s type ext4")
    command(group, sh, "df /mnt/v /mnt/s", r"(?m)^/dev/vda\s+\d+\s+\d+\s+\d+\s+\d+% /mnt/v\n/dev/sda\s+")
    for root in ("/mnt/v", "/mnt/s"):
        check_listing(group, sh, root)
        sums(group, sh, root, host_contents(), f"host files on {root}")


# What the shell writes; the host checks it with debugfs afterwards.
NEW_TEXT = "written by osprey"
FILLED = (2500000, 11)
APPENDED = (5000, 12)


def check_writes(group, sh):
    command(group, sh, f"echo {NEW_TEXT} > /mnt/v/new.txt && cat /mnt/v/new.txt", rf"^{NEW_TEXT}$")
    command(group, sh, f"/test/ext4test fill /mnt/v/filled.bin {FILLED[0]} {FILLED[1]}", r"^filled ")
    command(group, sh, f"/test/ext4test fill /mnt/s/appended.bin {APPENDED[0]} {APPENDED[1]}"
            " && cat /mnt/s/small.txt >> /mnt/s/appended.bin", r"^filled ")
    command(group, sh, "mkdir -p /mnt/v/newdir/sub/deeper && mkdir /mnt/s/madedir && echo x > /mnt/s/madedir/f",
            r"^$")
    command(group, sh, "cp /mnt/v/big.bin /mnt/s/from_vda.bin && cp -r /mnt/v/a /mnt/s/a_copy", r"^$",
            timeout=120)
    command(group, sh, "cp -r /mnt/s/a /mnt/v/newdir/sub/a_from_sda", r"^$", timeout=60)
    command(group, sh, "mv /mnt/s/small.txt /mnt/s/renamed.txt && mv /mnt/v/a/one.txt /mnt/v/newdir/one.txt", r"^$")
    command(group, sh, "mv /mnt/v/filled.bin /mnt/s/moved.bin", r"^$", timeout=60)
    command(group, sh, "rm /mnt/v/medium.bin /mnt/s/block.bin && rm -r /mnt/s/a/b && rmdir /mnt/v/emptydir", r"^$")
    command(group, sh, "ls /mnt/v/medium.bin", r"No such file or directory", status=2)
    command(group, sh, "ls -1 /mnt/s/a", r"^one\.txt$")
    command(group, sh, "ln /mnt/v/new.txt /mnt/v/newdir/hardlink && stat -c '%h' /mnt/v/new.txt", r"^2$")
    check_written(group, sh, "before umount")
    command(group, sh, "sync", r"^$", timeout=60)
    command(group, sh, "umount /mnt/v && umount /mnt/s", r"^$", timeout=60)
    command(group, sh, "mount | grep /mnt/", r"^$", status=1)
    # A fresh mount reads everything back from the disks.
    command(group, sh, "mount /dev/vda /mnt/v && mount /dev/sda /mnt/s", r"^$")
    check_written(group, sh, "after a new mount")


LIFE_EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "vfslife" / "expected"


def check_lifetime(group, sh, vda_image):
    """Unlinked open files on ext4: the same transcript as the host's tmpfs
    (space back at the last close, munmap, exit), the orphan list on the disk
    while one is open, and sync writing a MAP_SHARED store to the device."""
    for family in ("unlinked", "sigbus", "noreplace", "atime"):
        output, _ = sh.run(f"cd /mnt/v && /test/vfslife_test {family}; cd /", timeout=180)
        expected = (LIFE_EXPECTED / f"{family}.txt").read_text().splitlines()
        lines = [line for line in output.splitlines() if not line.startswith("user: ")]
        group.check(f"ext4: {family} transcript equals the host Linux's (tmpfs)", lines == expected,
                    indent("\n".join(lines)) + "\n--- expected\n" + indent("\n".join(expected)))
    output, _ = sh.run("cd /mnt/v && /test/vfslife_test syncmap /dev/vda; cd /", timeout=180)
    group.check_regex("ext4: sync writes a MAP_SHARED store to the disk", r"(?m)^syncmap: 0 failed$", output)
    group.check("ext4: syncmap has no FAIL lines", "FAIL" not in output, indent(output))

    command(group, sh, "echo orphan > /mnt/v/orphan.txt", r"^$")
    number = sh.run("stat -c %i /mnt/v/orphan.txt")[0].strip()
    command(group, sh, "sleep 600 < /mnt/v/orphan.txt & true", r"")
    command(group, sh, "rm /mnt/v/orphan.txt && sync", r"^$", timeout=60)
    stats = debugfs(vda_image, "stats").decode(errors="replace")
    group.check(f"host: while open, inode {number} heads the orphan list on the disk",
                re.search(rf"(?m)^First orphan inode:\s+{number}$", stats) is not None, indent(stats[:1500]))
    command(group, sh, "kill $!; wait; sync", r"", timeout=60)
    stats = debugfs(vda_image, "stats").decode(errors="replace")
    group.check("host: after the last close, no orphan list on the disk", "First orphan inode" not in stats,
                indent(stats[:1500]))
    freed = debugfs(vda_image, f"stat <{number}>").decode(errors="replace")
    group.check(f"host: inode {number} is freed (links 0, dtime set)",
                re.search(r"Links: 0\b", freed) is not None and "dtime:" in freed, indent(freed[:800]))


def written_files():
    contents = host_contents()
    new = (NEW_TEXT + "\n").encode()
    vda = {
        "new.txt": new,
        "newdir/hardlink": new,
        "newdir/one.txt": contents["a/one.txt"],
        "big.bin": contents["big.bin"],
        "newdir/sub/a_from_sda/one.txt": contents["a/one.txt"],
        "newdir/sub/a_from_sda/b/two.bin": contents["a/b/two.bin"],
        "newdir/sub/a_from_sda/b/c/deep.bin": contents["a/b/c/deep.bin"],
    }
    sda = {
        "from_vda.bin": contents["big.bin"],
        "a_copy/one.txt": contents["a/one.txt"],
        "a_copy/b/two.bin": contents["a/b/two.bin"],
        "a_copy/b/c/deep.bin": contents["a/b/c/deep.bin"],
        "renamed.txt": contents["small.txt"],
        "moved.bin": pattern(*FILLED),
        "appended.bin": pattern(*APPENDED) + contents["small.txt"],
        "madedir/f": b"x\n",
        "block_plus.bin": contents["block_plus.bin"],
    }
    return vda, sda


def check_written(group, sh, when):
    vda, sda = written_files()
    sums(group, sh, "/mnt/v", vda, f"vda {when}")
    sums(group, sh, "/mnt/s", sda, f"sda {when}")
    command(group, sh, "ls /mnt/v/filled.bin /mnt/s/small.txt /mnt/s/block.bin /mnt/v/emptydir 2>&1 | wc -l",
            r"^4$", status=0)


def check_corrupt(group, sh):
    command(group, sh, "mount /dev/vdb /mnt/c", r"^mount: /mnt/c: cannot mount /dev/vdb: "
            r"Structure needs cleaning$", status=32)
    command(group, sh, "mount | grep /mnt/c", r"^$", status=1)
    alive(group, sh, "the corrupt superblock")


def check_hostile(group, sh, images):
    for index, (name, _) in enumerate(images):
        device = f"/dev/vd{chr(ord('c') + index)}"
        try:
            output, status = sh.run(f"mount {device} /mnt/h", timeout=60)
        except HarnessError as error:
            group.check(f"{name}: mount returns", False, str(error))
            return
        print(f"{name}: mount status {status}: {output}", flush=True)
        if status == 0:
            try:
                walked, walk_status = sh.run("/test/ext4test walk /mnt/h", timeout=120)
                group.check(f"{name}: the walk gets to its end", walk_status == 0
                            and re.search(r"^walked /mnt/h: \d+ entries", walked, re.MULTILINE), indent(walked))
                listed, _ = sh.run("ls -la /mnt/h > /dev/null 2>&1; find /mnt/h > /dev/null 2>&1; echo listed",
                                    timeout=180)
                group.check(f"{name}: ls and find return", "listed" in listed, indent(listed))
                unmounted, umount_status = sh.run("umount /mnt/h", timeout=60)
                group.check(f"{name}: umount", umount_status == 0, indent(unmounted))
            except HarnessError as error:
                group.check(f"{name}: walk and umount return", False, str(error))
                return
        else:
            group.check(f"{name}: a refused mount says why", output.startswith(f"mount: /mnt/h: cannot mount {device}: "),
                        indent(output))
        alive(group, sh, name)


def run_benchmarks(group, sh, mib, files):
    for device, root, name in (("/dev/vda", "/mnt/v", "virtio_blk"), ("/dev/sda", "/mnt/s", "ahci")):
        try:
            output, status = sh.run(f"/test/ext4bench {device} {root} {name} {mib} {files}", timeout=3600)
        except HarnessError as error:
            group.check(f"ext4bench {name} returns", False, str(error))
            continue
        for line in output.splitlines():
            if line.startswith("BENCH "):
                print(line, flush=True)
        group.check(f"ext4bench {name}: exit status 0", status == 0, indent(output))
        for figure, unit in (("seq_write", "MB/s"), ("seq_read", "MB/s"), ("create", "ops/s"), ("ls_l", "ms"),
                             ("delete", "ops/s")):
            group.check_regex(f"ext4bench {name}: {figure} figure",
                              rf"^BENCH ext4_{name}_{figure} \d+(\.\d+)? {re.escape(unit)}$", output)
    command(group, sh, "umount /mnt/v && umount /mnt/s", r"^$", timeout=120)


def debugfs(image, request):
    return subprocess.run(["debugfs", "-R", request, image], capture_output=True, check=False).stdout


def check_images(group, vda_image, sda_image):
    for label, image in (("vda", vda_image), ("sda", sda_image)):
        result = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
        group.check(f"host: e2fsck -fn finds {label} clean", result.returncode == 0,
                    indent(result.stdout + result.stderr))
    vda, sda = written_files()
    for image, files, label in ((vda_image, vda, "vda"), (sda_image, sda, "sda")):
        for name, data in files.items():
            got = debugfs(image, f"cat /{name}")
            group.check(f"host: debugfs cat {label}:/{name} shows the shell's {len(data)} bytes", got == data,
                        f"got {len(got)} bytes")
    listing = debugfs(vda_image, "ls -l /newdir").decode(errors="replace")
    group.check_regex("host: debugfs ls shows newdir's entries", r"\bsub\b[\s\S]*\bhardlink\b|\bhardlink\b[\s\S]*\bsub\b",
                      listing)
    for image, name in ((vda_image, "medium.bin"), (vda_image, "filled.bin"), (vda_image, "emptydir"),
                        (sda_image, "small.txt"), (sda_image, "block.bin"), (sda_image, "a/b")):
        text = subprocess.run(["debugfs", "-R", f"stat /{name}", image], capture_output=True, text=True)
        group.check(f"host: /{name} is gone from {os.path.basename(image)}", "File not found" in text.stderr,
                    indent(text.stdout[:500] + text.stderr))
    link = debugfs(sda_image, "stat /a_copy/b/c/deep.bin").decode(errors="replace")
    group.check_regex("host: the copied file has one link", r"Links: 1\b", link)


def body(group):
    for tool in ("mkfs.ext4", "e2fsck", "debugfs"):
        if not shutil.which(tool):
            print(f"system.ext4_disks: {tool} is missing (e2fsprogs)", flush=True)
            raise SystemExit(77)
    bench = os.environ.get("OSPREY_EXT4_BENCH", "4 200").split()
    mib, files = int(bench[0]), int(bench[1])
    disk_size = max(64 * MIB, (2 * mib + 64) * MIB)
    directory = tempfile.mkdtemp(prefix="osprey-ext4-")
    try:
        tree = os.path.join(directory, "tree")
        make_tree(tree)
        vda_image = os.path.join(directory, "vda.img")
        sda_image = os.path.join(directory, "sda.img")
        vdb_image = os.path.join(directory, "vdb.img")
        mkfs(vda_image, disk_size, tree)
        mkfs(sda_image, disk_size, tree)
        mkfs(vdb_image, 16 * MIB, tree)
        corrupt_superblock(vdb_image)
        images = hostile_images(directory)
        arguments = virtio(vda_image, 0) + virtio(vdb_image, 1)
        for index, (_, path) in enumerate(images):
            arguments += virtio(path, 2 + index)
        arguments += ["-drive", f"file={sda_image},if=none,id=disk-sda,format=raw",
                      "-device", "ide-hd,drive=disk-sda,bus=ide.0"]

        shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY, extra_args=arguments)
        qemu = shell.qemu
        try:
            qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
        except HarnessError as error:
            group.check("the default entry starts /bin/sh", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
            return
        qemu.wait_quiet(0.5, 5)
        sh = Sh(qemu, group.args.command_timeout)
        group.step("host tree", check_host_tree, group, sh)
        group.step("writes", check_writes, group, sh)
        group.step("lifetime", check_lifetime, group, sh, vda_image)
        group.step("benchmarks", run_benchmarks, group, sh, mib, files)
        group.step("corrupt superblock", check_corrupt, group, sh)
        group.step("hostile images", check_hostile, group, sh, images)
        alive(group, sh, "everything")
        text = terminal_text(qemu.raw)
        group.check("no kernel panic", not re.search(r"(?i)kernel panic|PANIC:", text), indent(tail(text)))
        group.stop_all()
        check_images(group, vda_image, sda_image)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    run_group("system.ext4_disks", body, defaults={"deadline": 840.0})
