#pragma once

// The kernel symbol table, for symbolized backtraces. The build extracts it
// from osprey.elf with nm (sorted text lines "address type name") and GRUB
// loads it as the Multiboot2 module named "symbols".
#include <kernel/lib/StringView.h>

namespace symbols {

struct Symbol {
    u64 address;
    StringView name; // empty if unknown
};

// Takes the text of the symbol module (which must stay mapped).
void init(StringView table);
// The function containing `address`, or an empty name.
Symbol lookup(u64 address);
bool available();

} // namespace symbols
