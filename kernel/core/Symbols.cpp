// Symbol lookup over the nm text table.
//
// init() walks the table once and records, for every usable line, the offset
// of that line in a static array; the array is sorted by address because nm
// printed the table sorted (a line whose address goes backwards is dropped, so
// the invariant holds whatever the input). Data symbols stay in the index as
// boundaries: an address past the end of the last function but inside .rodata
// resolves to nothing rather than to that function plus a huge offset. When
// several symbols share an address, one is kept: code beats data, and a name
// not starting with '_' beats one that does (linker-script markers such as
// _text_start share the address of the first function).
//
// lookup() is a binary search that parses the 16 address digits of ~14 lines.
// Only panics and kshell read the table; init() runs once during boot, before
// other CPUs, so no lock is needed.
#include <kernel/core/Symbols.h>

namespace symbols {

namespace {

StringView s_table;
u32 s_index[MAX_SYMBOLS]; // offsets of indexed lines in s_table
usize s_count = 0;
bool s_truncated = false;

struct Line {
    u64 address;
    char type;
    StringView name;
};

// "ffffffff80001000 T name with spaces" (the name runs to the end of the line).
bool parse_line(StringView line, Line& out)
{
    if (line.ends_with("\r"))
        line = line.substring(0, line.length() - 1);
    usize space = line.find(' ');
    if (space == StringView::npos || space + 3 > line.length() || line[space + 2] != ' ')
        return false;
    if (!line.substring(0, space).to_u64_hex(out.address))
        return false;
    out.type = line[space + 1];
    out.name = line.substring(space + 3);
    return !out.name.is_empty();
}

bool is_code(char type)
{
    return type == 'T' || type == 't' || type == 'W' || type == 'w';
}

// Absolute symbols ('A', 'a': constants such as KERNEL_VMA) are not places.
bool is_indexable(char type)
{
    return type != 'A' && type != 'a' && type != 'U';
}

int rank(const Line& line)
{
    return (is_code(line.type) ? 2 : 0) + (line.name[0] != '_' ? 1 : 0);
}

StringView line_at(u32 offset)
{
    usize end = s_table.find('\n', offset);
    if (end == StringView::npos)
        end = s_table.length();
    return s_table.substring(offset, end - offset);
}

// Only the address of an indexed line: what the binary search compares.
u64 address_at(usize index)
{
    u64 address = 0;
    for (usize i = s_index[index]; i < s_table.length() && s_table[i] != ' '; ++i) {
        char c = s_table[i];
        address = address << 4 | static_cast<u64>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return address;
}

Line entry(usize index)
{
    Line line {};
    // Every indexed line parsed once already, so this cannot fail.
    parse_line(line_at(s_index[index]), line);
    return line;
}

} // namespace

usize init(StringView table)
{
    s_table = table;
    s_count = 0;
    s_truncated = false;
    Line previous {};
    usize start = 0;
    while (start < table.length()) {
        usize end = table.find('\n', start);
        if (end == StringView::npos)
            end = table.length();
        u32 offset = static_cast<u32>(start);
        StringView text = table.substring(start, end - start);
        start = end + 1;

        Line line;
        if (!parse_line(text, line) || !is_indexable(line.type))
            continue;
        if (s_count > 0 && line.address < previous.address)
            continue;
        if (s_count > 0 && line.address == previous.address) {
            if (rank(line) > rank(previous)) {
                s_index[s_count - 1] = offset;
                previous = line;
            }
            continue;
        }
        if (s_count == MAX_SYMBOLS || table.length() > 0xffffffffu) {
            s_truncated = true;
            break;
        }
        s_index[s_count++] = offset;
        previous = line;
    }
    return s_count;
}

bool available()
{
    return s_count > 0;
}

usize count()
{
    return s_count;
}

Symbol lookup(u64 address)
{
    // Find the last entry with entry.address <= address.
    usize low = 0;
    usize high = s_count;
    while (low < high) {
        usize middle = low + (high - low) / 2;
        if (address_at(middle) <= address)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0)
        return { 0, {} };
    if (s_truncated && low == s_count)
        return { 0, {} };
    Line line = entry(low - 1);
    if (!is_code(line.type))
        return { 0, {} };
    return { line.address, line.name };
}

namespace {

constexpr StringView QUALIFIERS[] = { " const", " volatile", " &&", " &", " noexcept" };

StringView without_parameters(StringView name)
{
    // Trailing qualifiers and clone suffixes: "f() const", "f() [clone .cold]".
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (StringView suffix : QUALIFIERS) {
            if (name.ends_with(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
                stripped = true;
            }
        }
        if (name.ends_with("]")) {
            usize open = name.length();
            while (open > 0 && name[open - 1] != '[')
                --open;
            if (open >= 2 && name[open - 2] == ' ') {
                name = name.substring(0, open - 2);
                stripped = true;
            }
        }
    }
    if (!name.ends_with(")"))
        return name;
    // Walk back to the parenthesis that opens the parameter list.
    usize depth = 0;
    for (usize i = name.length(); i > 0; --i) {
        char c = name[i - 1];
        if (c == ')') {
            ++depth;
        } else if (c == '(' && --depth == 0) {
            return i - 1 > 0 ? name.substring(0, i - 1) : name;
        }
    }
    return name;
}

// Template functions demangle with their return type first ("void
// kernel::panic<>"): drop everything up to the last space outside brackets,
// unless that space belongs to an operator name ("operator new").
StringView without_return_type(StringView name)
{
    usize depth = 0;
    usize start = 0;
    for (usize i = 0; i < name.length(); ++i) {
        char c = name[i];
        if (c == '<' || c == '(' || c == '[') {
            ++depth;
        } else if (c == '>' || c == ')' || c == ']') {
            if (depth > 0)
                --depth;
        } else if (c == ' ' && depth == 0 && !name.substring(0, i).ends_with("operator")) {
            start = i + 1;
        }
    }
    return name.substring(start);
}

} // namespace

StringView function_name(StringView name)
{
    return without_return_type(without_parameters(name));
}

} // namespace symbols
