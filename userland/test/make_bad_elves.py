#!/usr/bin/env python3
"""Writes broken variants of a good static ELF executable, one per way an ELF
file can be wrong, for kshell's `run` to refuse with ENOEXEC (the system test
user.py runs each). Usage: make_bad_elves.py <good.elf> <output directory>

Each output is named bad_<what>.elf; the list is BAD_ELVES below, and
userland/test/UserPrograms.cmake must name the same files.
"""
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_INTERP = 1, 3


def header(data):
    return list(EHDR.unpack_from(data, 0))


def put_header(data, fields):
    EHDR.pack_into(data, 0, *fields)


def program_headers(data):
    fields = header(data)
    phoff, phnum = fields[5], fields[10]
    return [(phoff + i * PHDR.size, list(PHDR.unpack_from(data, phoff + i * PHDR.size))) for i in range(phnum)]


def loads(data):
    return [(offset, ph) for offset, ph in program_headers(data) if ph[0] == PT_LOAD]


def edit_header(index, value):
    def edit(data):
        fields = header(data)
        fields[index] = value
        put_header(data, fields)
        return data
    return edit


def edit_ident(position, value):
    def edit(data):
        data[position] = value
        return data
    return edit


def edit_load(which, field, compute):
    def edit(data):
        offset, ph = loads(data)[which]
        ph[field] = compute(ph, data)
        PHDR.pack_into(data, offset, *ph)
        return data
    return edit


def truncated(data):
    return data[:40]  # cut inside the ELF header


def phdrs_out_of_bounds(data):
    fields = header(data)
    fields[5] = len(data) - 20  # the table runs past the end of the file
    put_header(data, fields)
    return data


def overlapping(data):
    first, second = loads(data)[0][1], loads(data)[1]
    offset, ph = second
    ph[3] = first[3]  # the second segment starts where the first does
    ph[2] = first[2]
    PHDR.pack_into(data, offset, *ph)
    return data


def interpreter(data):
    offset, ph = program_headers(data)[-1]
    ph[0] = PT_INTERP  # asks for a dynamic linker
    PHDR.pack_into(data, offset, *ph)
    return data


# field indexes: EHDR (ident, type, machine, version, entry, phoff, shoff,
# flags, ehsize, phentsize, phnum, ...); PHDR (type, flags, offset, vaddr,
# paddr, filesz, memsz, align).
BAD_ELVES = {
    "truncated": truncated,
    "magic": edit_ident(1, ord("X")),
    "class32": edit_ident(4, 1),
    "bigendian": edit_ident(5, 2),
    "machine": edit_header(2, 3),  # EM_386
    "type": edit_header(1, 1),  # ET_REL
    "phentsize": edit_header(9, 32),
    "phnum": edit_header(10, 0),
    "phdrs": phdrs_out_of_bounds,
    "filesz": edit_load(0, 5, lambda ph, data: ph[6] + 4096),  # filesz > memsz
    "offset": edit_load(0, 2, lambda ph, data: len(data) + 4096),  # bytes past the file
    "overlap": overlapping,
    "kernel": edit_load(0, 3, lambda ph, data: 0xffffffff80000000 + (ph[3] & 0xfff)),
    "huge": edit_load(-1, 6, lambda ph, data: 1 << 40),
    "misaligned": edit_load(0, 3, lambda ph, data: ph[3] + 8),  # vaddr not congruent to offset
    "entry": edit_header(4, 0x1000),
    "interp": interpreter,
}


def main():
    source, directory = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        good = f.read()
    os.makedirs(directory, exist_ok=True)
    for name, make in BAD_ELVES.items():
        with open(os.path.join(directory, f"bad_{name}.elf"), "wb") as f:
            f.write(bytes(make(bytearray(good))))


if __name__ == "__main__":
    main()
