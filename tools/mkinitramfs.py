#!/usr/bin/env python3
"""Packs Osprey's initramfs: a cpio archive in the newc format (the one Linux's initramfs
and Osprey's fs/cpio/Newc.cpp read), written deterministically: entries sorted by path,
inode numbers in order, uid and gid 0, every mtime the same (SOURCE_DATE_EPOCH, or 0).

    mkinitramfs.py -o OUT [--tree DIR] [--dir PATH] [--symlink PATH TARGET] [SRC DEST]...

--tree DIR copies a directory tree (regular files, directories, symlinks) to the root;
--dir makes an empty directory; --symlink makes a symbolic link; each trailing SRC DEST
pair copies the file SRC to the absolute path DEST (CMake's OSPREY_INITRAMFS_FILES).
Parent directories are added as needed (0755). Files keep an executable bit from their
source (0755), else are 0644.
"""
import argparse
import os
import stat
import sys

NEWC_MAGIC = b"070701"


def newc_header(inode, mode, nlink, mtime, size, name_size):
    fields = (inode, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, name_size, 0)
    return NEWC_MAGIC + b"".join(b"%08x" % field for field in fields)


def pad4(length):
    return (4 - length % 4) % 4


class Archive:
    def __init__(self, mtime):
        self.entries = {}  # path without leading slash -> (mode, data)
        self.mtime = mtime

    def add_parents(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            parent = "/".join(parts[:i])
            if parent not in self.entries:
                self.entries[parent] = (stat.S_IFDIR | 0o755, b"")
            elif not stat.S_ISDIR(self.entries[parent][0]):
                sys.exit(f"mkinitramfs: {parent} is needed as a directory but is a file")

    def add(self, path, mode, data=b""):
        path = path.strip("/")
        if not path or any(part in ("", ".", "..") for part in path.split("/")):
            sys.exit(f"mkinitramfs: bad destination path '/{path}'")
        self.add_parents(path)
        self.entries[path] = (mode, data)

    def add_file(self, source, destination):
        with open(source, "rb") as handle:
            data = handle.read()
        executable = os.stat(source).st_mode & 0o111
        self.add(destination, stat.S_IFREG | (0o755 if executable else 0o644), data)

    def add_tree(self, root):
        for directory, subdirectories, files in os.walk(root):
            subdirectories.sort()
            relative = os.path.relpath(directory, root)
            for name in sorted(subdirectories + files):
                source = os.path.join(directory, name)
                destination = name if relative == "." else f"{relative}/{name}"
                if os.path.islink(source):
                    self.add(destination, stat.S_IFLNK | 0o777, os.readlink(source).encode())
                elif os.path.isdir(source):
                    self.add(destination, stat.S_IFDIR | 0o755)
                elif os.path.isfile(source):
                    self.add_file(source, destination)

    def write(self, output):
        out = bytearray()
        records = [(".", stat.S_IFDIR | 0o755, b"")]
        records += [(path, mode, data) for path, (mode, data) in sorted(self.entries.items())]
        records.append(("TRAILER!!!", 0, b""))
        for inode, (name, mode, data) in enumerate(records, start=1):
            encoded = name.encode() + b"\0"
            is_trailer = name == "TRAILER!!!"
            nlink = 2 if stat.S_ISDIR(mode) else 1
            out += newc_header(0 if is_trailer else inode, mode, 0 if is_trailer else nlink,
                               0 if is_trailer else self.mtime, len(data), len(encoded))
            out += encoded + b"\0" * pad4(110 + len(encoded))
            out += data + b"\0" * pad4(len(data))
        out += b"\0" * ((512 - len(out) % 512) % 512)  # cpio's customary 512-byte block
        temporary = output + ".tmp"
        with open(temporary, "wb") as handle:
            handle.write(out)
        os.replace(temporary, output)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--tree", action="append", default=[])
    parser.add_argument("--dir", action="append", default=[])
    parser.add_argument("--symlink", nargs=2, action="append", default=[], metavar=("PATH", "TARGET"))
    parser.add_argument("pairs", nargs="*", metavar="SRC DEST")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("files come in SRC DEST pairs")

    archive = Archive(int(os.environ.get("SOURCE_DATE_EPOCH", "0")))
    for tree in args.tree:
        archive.add_tree(tree)
    for directory in args.dir:
        archive.add(directory, stat.S_IFDIR | 0o755)
    for path, target in args.symlink:
        archive.add(path, stat.S_IFLNK | 0o777, target.encode())
    for source, destination in zip(args.pairs[0::2], args.pairs[1::2]):
        archive.add_file(source, destination)
    archive.write(args.output)


if __name__ == "__main__":
    main()
