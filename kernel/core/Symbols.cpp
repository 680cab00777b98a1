// Symbol lookup over the nm text table: lines of "<16 hex digits> <type> <name>",
// sorted by address. Lookup scans for the last symbol at or below the address;
// the table is a few thousand lines and only panics and `crash` read it.
#include <kernel/core/Symbols.h>

namespace symbols {

namespace {
StringView s_table;

bool parse_hex(StringView text, u64& value)
{
    value = 0;
    if (text.is_empty())
        return false;
    for (char c : text) {
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        value = value << 4 | digit;
    }
    return true;
}
} // namespace

void init(StringView table)
{
    s_table = table;
}

bool available()
{
    return !s_table.is_empty();
}

Symbol lookup(u64 address)
{
    Symbol best { 0, {} };
    usize start = 0;
    while (start < s_table.length()) {
        usize end = s_table.find('\n', start);
        if (end == StringView::npos)
            end = s_table.length();
        StringView line = s_table.substring(start, end - start);
        start = end + 1;
        // "ffffffff80001000 T name"
        if (line.length() < 20 || line[16] != ' ' || line[18] != ' ')
            continue;
        char type = line[17];
        if (type != 'T' && type != 't' && type != 'W' && type != 'w')
            continue;
        u64 symbol_address;
        if (!parse_hex(line.substring(0, 16), symbol_address))
            continue;
        if (symbol_address > address)
            break;
        best = { symbol_address, line.substring(19) };
    }
    return best;
}

} // namespace symbols
