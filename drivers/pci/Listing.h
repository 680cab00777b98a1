#pragma once

// The PCI functions as text, for kshell's `lspci` and /proc/pci.
//
// /proc/pci (machine-readable, one line per function, read by the ring-3
// lspci):
//   <segment:bus:device.function> <class><subclass><prog-if> <vendor>:<device> <revision> <interrupt> <driver>
//   0000:00:1f.2 010601 8086:2922 02 msi ahci
// all numbers in hex; interrupt is msix, msi, intx or -; driver is - when
// no driver claimed the function.
//
// lspci (for people, in the style of Linux's `lspci -nn`):
//   00:1f.2 SATA controller [0106]: 8086:2922 (rev 02) [msi, ahci]
#include <kernel/lib/Format.h>

namespace pci {

void write_proc_listing(FormatSink& sink);
void write_lspci(FormatSink& sink);

} // namespace pci
