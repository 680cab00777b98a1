#pragma once

// The kernel symbol table, for symbolized backtraces. The build extracts it
// from osprey.elf with `nm --defined-only --numeric-sort --demangle` (lines
// "address type name", sorted by address) and GRUB loads it as the Multiboot2
// module named "symbols". init() indexes it once; lookups binary-search the
// index. The text itself is not copied: it must stay mapped for good.
//
// Portable: compiled into the host unit tests too.
#include <kernel/lib/StringView.h>

namespace symbols {

struct Symbol {
    u64 address;
    StringView name; // the demangled name as nm printed it; empty if unknown
};

// At most this many symbols are indexed (the index is a static array: the
// heap does not exist yet when the table is loaded).
inline constexpr usize MAX_SYMBOLS = 16384;

// Indexes the text of the symbol module, replacing any earlier table.
// Malformed lines, absolute symbols and lines out of address order are
// skipped. Returns the number of symbols indexed.
usize init(StringView table);
bool available();
usize count();

// The code symbol (nm type T, t, W or w) containing `address`: the nearest
// symbol at or below it, if that one is code. Empty name if the address is
// below the first symbol, falls after a data symbol, or lies past the end of
// a table that had to be truncated at MAX_SYMBOLS.
Symbol lookup(u64 address);

// The function's name for a backtrace: the demangled name without the
// return type templates carry, the parameter list and trailing qualifiers.
// "void ns::(anonymous namespace)::f<int>(int, char*) const" gives
// "ns::(anonymous namespace)::f<int>". Plain C names come back unchanged.
StringView function_name(StringView demangled);

} // namespace symbols
