// Builds the System V initial stack; layout in InitialStack.h. Addresses are
// computed first from the sizes (with overflow-checked sums against the
// buffer's size), then everything is written once, top down.
#include <kernel/api/auxv.h>
#include <kernel/user/InitialStack.h>

namespace user {

namespace {

constexpr usize WORD = sizeof(u64);
constexpr usize END_MARKER_BYTES = WORD;
constexpr usize STACK_ALIGNMENT = 16;
constexpr usize EXTRA_AUX_ENTRIES = 3; // AT_RANDOM, AT_EXECFN, AT_NULL

// Sum of the string lengths plus their NULs, or false past `limit`.
bool strings_size(Span<const StringView> strings, usize limit, usize& total)
{
    for (const StringView& string : strings) {
        if (string.length() >= limit || total > limit - string.length() - 1)
            return false;
        total += string.length() + 1;
    }
    return true;
}

class StackWriter {
public:
    StackWriter(Span<u8> memory, VirtAddr stack_top)
        : m_memory(memory)
        , m_base(stack_top - memory.size())
    {
    }

    void write_bytes(VirtAddr address, const void* bytes, usize size) { __builtin_memcpy(at(address), bytes, size); }
    void write_word(VirtAddr address, u64 value) { write_bytes(address, &value, WORD); }
    // Copies `string` and its NUL to `address`; returns the address after them.
    VirtAddr write_string(VirtAddr address, StringView string)
    {
        write_bytes(address, string.characters(), string.length());
        *at(address + string.length()) = 0;
        return address + string.length() + 1;
    }

private:
    u8* at(VirtAddr address) { return m_memory.data() + (address - m_base); }

    Span<u8> m_memory;
    VirtAddr m_base;
};

} // namespace

ErrorOr<VirtAddr> build_initial_stack(Span<u8> memory, VirtAddr stack_top, const InitialStackContents& contents)
{
    if (contents.arguments.is_empty() || contents.random.size() != AT_RANDOM_BYTES || stack_top % STACK_ALIGNMENT != 0)
        return Error::from_errno(EINVAL);
    if (contents.arguments.size() > MAX_ARGUMENTS || contents.environment.size() > MAX_ENVIRONMENT)
        return Error::from_errno(E2BIG);
    if (stack_top < memory.size())
        return Error::from_errno(EINVAL);
    for (const StringView& string : contents.arguments) {
        if (string.contains('\0'))
            return Error::from_errno(EINVAL);
    }
    for (const StringView& string : contents.environment) {
        if (string.contains('\0'))
            return Error::from_errno(EINVAL);
    }

    usize string_bytes = 0;
    if (!strings_size(contents.arguments, memory.size(), string_bytes)
        || !strings_size(contents.environment, memory.size(), string_bytes))
        return Error::from_errno(E2BIG);
    usize vector_words = 1 + (contents.arguments.size() + 1) + (contents.environment.size() + 1)
        + 2 * (contents.auxiliary.size() + EXTRA_AUX_ENTRIES);
    if (contents.auxiliary.size() > memory.size())
        return Error::from_errno(E2BIG);
    // Each part is at most memory.size() (checked above), so the sum of these
    // few terms cannot overflow.
    usize needed
        = END_MARKER_BYTES + string_bytes + STACK_ALIGNMENT + AT_RANDOM_BYTES + STACK_ALIGNMENT + vector_words * WORD;
    if (needed > memory.size())
        return Error::from_errno(E2BIG);

    VirtAddr end_marker = stack_top - END_MARKER_BYTES;
    VirtAddr strings = end_marker - string_bytes;
    VirtAddr random = align_down<u64>(strings - AT_RANDOM_BYTES, STACK_ALIGNMENT);
    VirtAddr rsp = align_down<u64>(random - vector_words * WORD, STACK_ALIGNMENT);

    StackWriter writer(memory, stack_top);
    writer.write_word(end_marker, 0);
    // The string addresses go straight into argv[] and envp[] below.
    VirtAddr argv = rsp + WORD;
    VirtAddr envp = argv + (contents.arguments.size() + 1) * WORD;
    VirtAddr auxv = envp + (contents.environment.size() + 1) * WORD;
    VirtAddr cursor = strings;
    for (usize i = 0; i < contents.arguments.size(); ++i) {
        writer.write_word(argv + i * WORD, cursor);
        cursor = writer.write_string(cursor, contents.arguments[i]);
    }
    writer.write_word(argv + contents.arguments.size() * WORD, 0);
    for (usize i = 0; i < contents.environment.size(); ++i) {
        writer.write_word(envp + i * WORD, cursor);
        cursor = writer.write_string(cursor, contents.environment[i]);
    }
    writer.write_word(envp + contents.environment.size() * WORD, 0);
    writer.write_bytes(random, contents.random.data(), AT_RANDOM_BYTES);

    VirtAddr entry = auxv;
    auto write_aux = [&](u64 type, u64 value) {
        writer.write_word(entry, type);
        writer.write_word(entry + WORD, value);
        entry += 2 * WORD;
    };
    for (const AuxEntry& aux : contents.auxiliary)
        write_aux(aux.type, aux.value);
    write_aux(AT_RANDOM, random);
    write_aux(AT_EXECFN, strings); // argv[0]'s string comes first
    write_aux(AT_NULL, 0);

    writer.write_word(rsp, contents.arguments.size());
    return rsp;
}

} // namespace user
