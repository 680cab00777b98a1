#!/usr/bin/env python3
"""system.disks: PCI, virtio-blk, AHCI and partitions, in one boot with three disks.

The host makes the disk images: vda (64 MiB, a GPT by sfdisk, modern virtio-blk),
vdb (8 MiB, no table, a legacy-only virtio-blk device without MSI-X, so on the legacy
transport and a shared INTx line) and sda
(64 MiB, an MBR by sfdisk with two primaries, an extended partition holding one
logical partition, and a fourth primary, on QEMU's q35 AHCI controller as an ide-hd),
and sdb (8 MiB, AHCI port 1) behind QEMU's blkdebug driver, which fails every read of
sector 4096 and the first read of sector 8192 with EIO.
It writes known patterns at several offsets, boots the kernel monitor and checks:

- kshell's `lspci` and the ring-3 /bin/lspci (over /proc/pci) list the virtio and
  AHCI functions with their drivers and interrupt kinds, the same way;
- /proc/partitions lists every disk and partition with Linux's numbers and sizes
  (taken from `sfdisk -J`, the oracle), and /dev has a block node for each;
- /test/disktest reads the host's patterns through the disks and the partitions at
  aligned and unaligned offsets (FNV-1a checksums compared with the host's), writes
  patterns of its own and flushes, and checks the end-of-device errors;
- a read of sdb's bad sector ends in EIO for the program after the driver's port
  recovery and three retries, a transient error is retried away, and the disk works on;
  kshell's `ahci` counts the 5 error completions and 4 retries, and no port reset (an
  error completion leaves the device idle; system.ahci_timeout covers timeouts);
- /test/diskbench prints sequential throughput (BENCH lines) on scratch partitions.

After QEMU is gone, the host checks that every guest write landed at the right place
of the image and that the bytes around it are unchanged.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile

from osprey_harness import indent, run_group

SECTOR = 512
MIB = 1024 * 1024
DISKTEST = "/test/disktest"
FNV_OFFSET = 0xcbf29ce484222325


def fnv1a(data):
    value = FNV_OFFSET
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def pattern(length, seed):
    """The bytes disktest writes: byte i is (i * 131 + seed * 7 + (i >> 9)) & 0xff."""
    return bytes(((i * 131 + seed * 7 + (i >> 9)) & 0xFF) for i in range(length))


def host_bytes(length, seed):
    """Host-written data: a different generator, so a mix-up of the two shows."""
    state = seed * 2654435761 & 0xFFFFFFFF
    out = bytearray(length)
    for i in range(length):
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = state >> 16 & 0xFF
    return bytes(out)


def sfdisk(image, script):
    subprocess.run(["sfdisk", "-q", image], input=script, text=True, check=True, capture_output=True)
    table = json.loads(subprocess.run(["sfdisk", "-J", image], check=True, capture_output=True, text=True).stdout)
    return {int(re.search(r"(\d+)$", p["node"]).group(1)): (p["start"], p["size"], p["type"])
            for p in table["partitiontable"]["partitions"]}


class Disk:
    def __init__(self, name, path, size, partitions):
        self.name = name
        self.path = path
        self.size = size
        self.partitions = partitions  # number -> (start sector, sectors, type)

    def absolute(self, device, offset):
        if device == self.name:
            return offset
        number = int(device[len(self.name):])
        return self.partitions[number][0] * SECTOR + offset

    def write(self, offset, data):
        with open(self.path, "r+b") as image:
            image.seek(offset)
            image.write(data)

    def read(self, offset, length):
        with open(self.path, "rb") as image:
            image.seek(offset)
            return image.read(length)


def make_disks(directory):
    vda = os.path.join(directory, "vda.img")
    vdb = os.path.join(directory, "vdb.img")
    sda = os.path.join(directory, "sda.img")
    for path, size in ((vda, 64 * MIB), (vdb, 8 * MIB), (sda, 64 * MIB)):
        with open(path, "wb") as image:
            image.truncate(size)
    gpt = sfdisk(vda, "label: gpt\n,16M\n,\n")
    mbr = sfdisk(sda, "label: dos\n"
                      "start=2048, size=16384, type=83\n"
                      "start=18432, size=16384, type=83\n"
                      "start=34816, size=24576, type=5\n"
                      "start=59392, type=83\n"
                      "start=36864, size=8192, type=83\n")
    sdb = os.path.join(directory, "sdb.img")
    with open(sdb, "wb") as image:
        image.truncate(8 * MIB)
    with open(os.path.join(directory, "blkdebug.conf"), "w") as config:
        for sector, once in ((BAD_SECTOR, "off"), (FLAKY_SECTOR, "on")):
            config.write(f'[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "{sector}"\nonce = "{once}"\n\n')
    return {
        "sdb": Disk("sdb", sdb, 8 * MIB, {}),
        "vda": Disk("vda", vda, 64 * MIB, gpt),
        "vdb": Disk("vdb", vdb, 8 * MIB, {}),
        "sda": Disk("sda", sda, 64 * MIB, mbr),
    }


# Sectors of sdb that blkdebug fails: always, and only the first time.
BAD_SECTOR = 4096
FLAKY_SECTOR = 8192

# (device, offset, length, seed): host patterns the guest reads back. Offsets are
# relative to the device named; several cross 64 KiB request boundaries unaligned.
HOST_PATTERNS = [
    ("vda1", 3, 5000, 1),
    ("vda1", 5 * MIB + 100, 300 * 1024, 2),
    ("vda1", 16 * MIB - 1000, 1000, 3),
    ("vdb", 0, 4096, 4),
    ("vdb", 8 * MIB - 777, 777, 5),
    ("sda2", MIB + 17, 9000, 6),
    ("sda5", 0, 4096, 7),
    ("sda1", 2 * MIB, 200 * 1024 + 3, 8),
    ("sdb", 1000, 3000, 9),
]
# The same bytes read through the whole disk as well as through the partition.
THROUGH_DISK = [("vda", "vda1", 3, 5000), ("sda", "sda5", 0, 4096)]

# (device, offset, length, seed): patterns the guest writes and the host checks.
GUEST_WRITES = [
    ("vda1", 7 * MIB + 511, 70000, 21),
    ("vda", 12 * MIB, MIB, 22),
    ("vdb", 3 * MIB + 1, 1000, 23),
    ("sda1", 3 * MIB + 100, 200000, 24),
    ("sda5", 4 * MIB - 512, 512, 25),
]

# Scratch partitions for the benchmark (nothing else lives there).
BENCHES = [("/dev/vda2", "virtio_blk", 32), ("/dev/sda4", "ahci", 32)]


def qemu_arguments(disks):
    return [
        "-drive", f"file={disks['vda'].path},if=none,id=disk-vda,format=raw",
        "-device", "virtio-blk-pci,drive=disk-vda",
        "-drive", f"file={disks['vdb'].path},if=none,id=disk-vdb,format=raw",
        "-device", "virtio-blk-pci,drive=disk-vdb,disable-modern=on,disable-legacy=off,vectors=0",
        "-drive", f"file={disks['sda'].path},if=none,id=disk-sda,format=raw",
        "-device", "ide-hd,drive=disk-sda,bus=ide.0",
        "-drive", f"file=blkdebug:{os.path.dirname(disks['sdb'].path)}/blkdebug.conf:{disks['sdb'].path},"
                  "if=none,id=disk-sdb,format=raw",
        "-device", "ide-hd,drive=disk-sdb,bus=ide.1",
    ]


def disk_of(disks, device):
    for disk in disks.values():
        if device.startswith(disk.name):
            return disk
    raise KeyError(device)


def run_program(group, shell, command, timeout=60):
    output = shell.run(f"exec {command}", timeout=timeout)
    status = re.search(r"^exec: \S+ exited with status (\d+)$", output, re.MULTILINE)
    body = "\n".join(line for line in output.splitlines() if not line.startswith("exec: "))
    return body, int(status.group(1)) if status else None


def check_lspci(group, shell):
    kernel = shell.run("lspci")
    group.check_regex("kshell lspci: modern virtio-blk with MSI-X",
                      r"^\S+ SCSI storage controller \[0100\]: 1af4:1001 \(rev \w\w\) \[msix, virtio-blk\]$", kernel)
    group.check_regex("kshell lspci: legacy virtio-blk on INTx",
                      r"^\S+ SCSI storage controller \[0100\]: 1af4:1001 \(rev \w\w\) \[intx, virtio-blk\]$", kernel)
    group.check_regex("kshell lspci: the ICH9 AHCI controller with MSI",
                      r"^00:1f\.2 SATA controller \[0106\]: 8086:2922 \(rev \w\w\) \[msi, ahci\]$", kernel)
    group.check_regex("kshell lspci: the host bridge", r"^00:00\.0 Host bridge \[0600\]: 8086:29c0", kernel)
    verbose = shell.run("lspci -v")
    group.check_regex("kshell lspci -v: BARs", r"BAR5: memory \(32-bit\) at 0x[0-9a-f]+ \[size=0x1000\]", verbose)

    mounted, status = run_program(group, shell, f"{DISKTEST} mountproc")
    group.check("proc mounted for the ring-3 tools", status == 0, indent(mounted))
    user, status = run_program(group, shell, "/bin/lspci")
    group.check("/bin/lspci exits with 0", status == 0, indent(user))
    group.check("/bin/lspci prints what kshell's lspci prints",
                user.strip().splitlines() == kernel.strip().splitlines(),
                indent(user) + "\n--- kshell\n" + indent(kernel))
    raw, _ = run_program(group, shell, "/bin/lspci -n")
    group.check_regex("/proc/pci: machine-readable AHCI line",
                      r"^0000:00:1f\.2 010601 8086:2922 \w\w msi ahci$", raw)


def expected_partitions(disks):
    majors = {"vd": 254, "sd": 8}
    rows = []
    for disk in disks.values():
        base = (ord(disk.name[2]) - ord("a")) * 16
        major = majors[disk.name[:2]]
        rows.append((major, base, disk.size // 1024, disk.name))
        for number, (start, size, kind) in sorted(disk.partitions.items()):
            if kind in ("5", "f", "85"):
                continue  # the extended container is not a device of its own here
            rows.append((major, base + number, size * SECTOR // 1024, f"{disk.name}{number}"))
    return rows


def check_partitions(group, shell, disks):
    text, status = run_program(group, shell, "/bin/cat /proc/partitions")
    group.check("cat /proc/partitions exits with 0", status == 0, indent(text))
    lines = text.strip("\n").splitlines()
    group.check("/proc/partitions header", lines[:2] == ["major minor  #blocks  name", ""], indent(text))
    found = set()
    for line in lines[2:]:
        fields = line.split()
        if len(fields) == 4:
            found.add((int(fields[0]), int(fields[1]), int(fields[2]), fields[3]))
    for row in expected_partitions(disks):
        group.check(f"/proc/partitions lists {row[3]} as {row[0]}:{row[1]} with {row[2]} KiB", row in found,
                    indent(text))
    group.check("/proc/partitions lists nothing else", len(found) == len(expected_partitions(disks)), indent(text))

    listing, _ = run_program(group, shell, "/bin/ls /dev")
    names = set(listing.split())
    for row in expected_partitions(disks):
        name = row[3]
        group.check(f"/dev/{name} exists", name in names, indent(listing))
        node, _ = run_program(group, shell, f"{DISKTEST} node /dev/{name}")
        group.check(f"/dev/{name} is block device {row[0]}:{row[1]}",
                    f"node /dev/{name} block {row[0]}:{row[1]}" in node, indent(node))
        size, _ = run_program(group, shell, f"{DISKTEST} size /dev/{name}")
        group.check(f"/dev/{name} is {row[2] * 1024} bytes long", f"size /dev/{name} {row[2] * 1024}" in size,
                    indent(size))


def check_reads(group, shell, disks):
    for device, offset, length, seed in HOST_PATTERNS:
        expected = fnv1a(host_bytes(length, seed))
        output, status = run_program(group, shell, f"{DISKTEST} read /dev/{device} {offset} {length}")
        group.check(f"read {length} bytes of /dev/{device} at {offset}: the host's bytes",
                    status == 0 and f"sum /dev/{device} {offset} {length} {expected:016x}" in output, indent(output))
    for disk_name, partition, offset, length in THROUGH_DISK:
        disk = disks[disk_name]
        absolute = disk.absolute(partition, offset)
        seed = next(s for d, o, n, s in HOST_PATTERNS if d == partition and o == offset)
        expected = fnv1a(host_bytes(length, seed))
        output, status = run_program(group, shell, f"{DISKTEST} read /dev/{disk_name} {absolute} {length}")
        group.check(f"/dev/{disk_name} at {absolute} shows /dev/{partition}'s bytes",
                    status == 0 and f"{expected:016x}" in output, indent(output))


def check_writes(group, shell):
    for device, offset, length, seed in GUEST_WRITES:
        output, status = run_program(group, shell, f"{DISKTEST} write /dev/{device} {offset} {length} {seed}")
        group.check(f"write {length} bytes to /dev/{device} at {offset}", status == 0
                    and f"wrote /dev/{device} {offset} {length}" in output, indent(output))
        # Read back in the guest, before the host looks at the image.
        output, status = run_program(group, shell, f"{DISKTEST} read /dev/{device} {offset} {length}")
        group.check(f"/dev/{device} at {offset} reads back what was written",
                    f"{fnv1a(pattern(length, seed)):016x}" in output, indent(output))


def check_errors(group, shell):
    for device in ("vdb", "sda5", "vda2"):
        output, status = run_program(group, shell, f"{DISKTEST} errors /dev/{device}")
        group.check(f"end-of-device errors on /dev/{device}: no FAIL", status == 0 and "FAIL" not in output,
                    indent(output))
        group.check(f"end-of-device errors on /dev/{device}: all checks ran", output.count("ok ") == 9,
                    indent(output))


def check_device_errors(group, shell):
    bad = BAD_SECTOR * SECTOR
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sdb {bad} 512")
    group.check("a read of sdb's bad sector fails with EIO", status == 1
                and re.search(rf"pread /dev/sdb at {bad}: Input/output error", output), indent(output))
    flaky = FLAKY_SECTOR * SECTOR
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sdb {flaky} 4096")
    group.check("a read of sdb's flaky sector succeeds after a retry",
                status == 0 and f"sum /dev/sdb {flaky} 4096 {fnv1a(bytes(4096)):016x}" in output, indent(output))
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sdb 1000 3000")
    group.check("sdb still reads after the errors",
                status == 0 and f"{fnv1a(host_bytes(3000, 9)):016x}" in output, indent(output))
    counters = shell.run("ahci")
    group.check_regex("ahci: sdb's error completions were retried without a port reset",
                      r"^sdb port 1 timeout_ms 10000 timeouts 0 errors 5 retries 4 port_resets 0 failures 1 ", counters)
    group.check_regex("ahci: sda had nothing to recover",
                      r"^sda port 0 timeout_ms 10000 timeouts 0 errors 0 retries 0 port_resets 0 failures 0 ", counters)
    log = shell.run("dmesg")
    group.check_regex("dmesg: the bad sector was given up after 4 attempts",
                      rf"ahci: sdb: command 0x25 at LBA {BAD_SECTOR} failed 4 times; giving up", log)
    group.check("dmesg: the flaky sector failed once and was not given up",
                len(re.findall(rf"ahci: sdb: command 0x25 at LBA {FLAKY_SECTOR} failed:", log)) == 1
                and not re.search(rf"LBA {FLAKY_SECTOR} failed \d+ times", log), indent(log))


def run_benchmarks(group, shell):
    for device, name, mib in BENCHES:
        output, status = run_program(group, shell, f"/test/diskbench {device} {name} {mib}", timeout=240)
        for line in output.splitlines():
            if line.startswith("BENCH "):
                print(line, flush=True)
        group.check(f"diskbench {name}: exit status 0", status == 0, indent(output))
        group.check_regex(f"diskbench {name}: write figure", rf"^BENCH disk_{name}_seq_write \d+\.\d\d MB/s$", output)
        group.check_regex(f"diskbench {name}: read figure", rf"^BENCH disk_{name}_seq_read \d+\.\d\d MB/s$", output)


def check_log(group, shell):
    log = shell.run("dmesg")
    group.check_regex("dmesg: ECAM from the MCFG", r"pci: ECAM segment 0 buses 0-255", log)
    group.check_regex("dmesg: vda modern with MSI-X", r"virtio-blk: vda at .*modern transport, MSI-X", log)
    group.check_regex("dmesg: vdb on the legacy transport with INTx", r"virtio-blk: vdb at .*legacy transport, INTx", log)
    group.check_regex("dmesg: the AHCI disk identified", r"ahci: sda on port 0: 'QEMU HARDDISK'", log)
    group.check_regex("dmesg: the CD drive left alone", r"ahci: port \d+: ATAPI device, not driven", log)
    healthy = "\n".join(line for line in log.splitlines() if "sdb" not in line)
    group.check("dmesg: no timeouts, failures or refused tables (but on sdb)",
                not re.search(r"timed out|failed|refused|giving up", healthy), indent(healthy))


def check_images(group, disks, originals):
    for device, offset, length, seed in GUEST_WRITES:
        disk = disk_of(disks, device)
        absolute = disk.absolute(device, offset)
        landed = disk.read(absolute, length)
        group.check(f"host: /dev/{device} at {offset} holds the guest's {length} bytes",
                    landed == pattern(length, seed), f"first bytes {landed[:16].hex()}")
        before = disk.read(absolute - 512, 512)
        after = disk.read(absolute + length, 512)
        original = originals[disk.name]
        group.check(f"host: the bytes around /dev/{device}'s write are unchanged",
                    before == original[absolute - 512:absolute]
                    and after == original[absolute + length:absolute + length + 512])
    for device, offset, length, seed in HOST_PATTERNS:
        disk = disk_of(disks, device)
        absolute = disk.absolute(device, offset)
        group.check(f"host: the pattern at /dev/{device} {offset} survived",
                    disk.read(absolute, length) == host_bytes(length, seed))


def body(group):
    if not shutil.which("sfdisk"):
        print("system.disks: sfdisk is missing (tools/install-deps.sh installs fdisk)", flush=True)
        raise SystemExit(77)
    directory = tempfile.mkdtemp(prefix="osprey-disks-")
    try:
        disks = make_disks(directory)
        for device, offset, length, seed in HOST_PATTERNS:
            disk = disk_of(disks, device)
            disk.write(disk.absolute(device, offset), host_bytes(length, seed))
        originals = {name: open(disk.path, "rb").read() for name, disk in disks.items()}

        shell = group.boot(memory="512M", extra_args=qemu_arguments(disks))
        if not shell:
            return
        group.step("lspci", check_lspci, group, shell)
        group.step("partitions", check_partitions, group, shell, disks)
        group.step("reads", check_reads, group, shell, disks)
        group.step("writes", check_writes, group, shell)
        group.step("errors", check_errors, group, shell)
        group.step("device errors", check_device_errors, group, shell)
        group.step("benchmarks", run_benchmarks, group, shell)
        group.step("log", check_log, group, shell)
        group.stop_all()
        check_images(group, disks, originals)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    run_group("system.disks", body, defaults={"deadline": 600.0})
