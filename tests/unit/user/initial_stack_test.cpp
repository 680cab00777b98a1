// user::build_initial_stack: the System V initial stack read back word by
// word (argc, argv, envp, auxv, strings, AT_RANDOM), its alignment for every
// string length, and the refusals (E2BIG, EINVAL).
#include <cstring>
#include <gtest/gtest.h>
#include <kernel/api/auxv.h>
#include <kernel/user/InitialStack.h>
#include <string>
#include <vector>

using user::AuxEntry;
using user::build_initial_stack;
using user::InitialStackContents;

namespace {

constexpr VirtAddr STACK_TOP = 0x7ff000000000;
constexpr u8 RANDOM[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

// The user stack's top bytes, as the program would see them.
struct Stack {
    explicit Stack(size_t size)
        : bytes(size, 0xcc)
    {
    }
    Span<u8> span() { return { bytes.data(), bytes.size() }; }
    VirtAddr base() const { return STACK_TOP - bytes.size(); }
    u64 word(VirtAddr address) const
    {
        u64 value;
        std::memcpy(&value, bytes.data() + (address - base()), 8);
        return value;
    }
    std::string string(VirtAddr address) const
    {
        return std::string(reinterpret_cast<const char*>(bytes.data() + (address - base())));
    }
    std::vector<u8> bytes;
};

struct Parsed {
    u64 argc;
    std::vector<std::string> argv;
    std::vector<std::string> envp;
    std::vector<AuxEntry> auxv;
};

Parsed parse(const Stack& stack, VirtAddr rsp)
{
    Parsed parsed;
    parsed.argc = stack.word(rsp);
    VirtAddr cursor = rsp + 8;
    for (u64 i = 0; i < parsed.argc; ++i, cursor += 8)
        parsed.argv.push_back(stack.string(stack.word(cursor)));
    EXPECT_EQ(stack.word(cursor), 0u) << "argv[argc] is not NULL";
    for (cursor += 8; stack.word(cursor) != 0; cursor += 8)
        parsed.envp.push_back(stack.string(stack.word(cursor)));
    for (cursor += 8;; cursor += 16) {
        parsed.auxv.push_back({ stack.word(cursor), stack.word(cursor + 8) });
        if (parsed.auxv.back().type == AT_NULL)
            break;
    }
    return parsed;
}

u64 aux_value(const Parsed& parsed, u64 type)
{
    for (const AuxEntry& entry : parsed.auxv) {
        if (entry.type == type)
            return entry.value;
    }
    ADD_FAILURE() << "no auxv entry " << type;
    return 0;
}

} // namespace

TEST(InitialStack, LaysOutArgumentsEnvironmentAndAuxv)
{
    Stack stack(32 * KiB);
    const StringView arguments[] = { "startup", "one", "two words" };
    const StringView environment[] = { "HOME=/", "TERM=vt100" };
    const AuxEntry auxiliary[] = { { AT_PAGESZ, 4096 }, { AT_ENTRY, 0x401000 } };
    InitialStackContents contents { arguments, environment, auxiliary, RANDOM };
    auto rsp = build_initial_stack(stack.span(), STACK_TOP, contents);
    ASSERT_FALSE(rsp.is_error());
    EXPECT_EQ(rsp.value() % 16, 0u);

    Parsed parsed = parse(stack, rsp.value());
    EXPECT_EQ(parsed.argc, 3u);
    EXPECT_EQ(parsed.argv, (std::vector<std::string> { "startup", "one", "two words" }));
    EXPECT_EQ(parsed.envp, (std::vector<std::string> { "HOME=/", "TERM=vt100" }));
    // The caller's entries in order, then AT_RANDOM, AT_EXECFN, AT_NULL.
    ASSERT_EQ(parsed.auxv.size(), 5u);
    EXPECT_EQ(parsed.auxv[0].type, static_cast<u64>(AT_PAGESZ));
    EXPECT_EQ(parsed.auxv[1].value, 0x401000u);
    EXPECT_EQ(parsed.auxv[2].type, static_cast<u64>(AT_RANDOM));
    EXPECT_EQ(parsed.auxv[3].type, static_cast<u64>(AT_EXECFN));
    EXPECT_EQ(parsed.auxv[4].type, static_cast<u64>(AT_NULL));

    VirtAddr random = aux_value(parsed, AT_RANDOM);
    EXPECT_EQ(std::memcmp(stack.bytes.data() + (random - stack.base()), RANDOM, 16), 0);
    EXPECT_EQ(stack.string(aux_value(parsed, AT_EXECFN)), "startup");
    // The end marker just below the top, and nothing written below RSP.
    EXPECT_EQ(stack.word(STACK_TOP - 8), 0u);
    EXPECT_EQ(stack.bytes[rsp.value() - stack.base() - 1], 0xcc);
}

TEST(InitialStack, RspIsAlignedForEveryStringLength)
{
    for (size_t length = 1; length < 48; ++length) {
        for (size_t count = 1; count < 4; ++count) {
            Stack stack(8 * KiB);
            std::string word(length, 'x');
            std::vector<StringView> arguments(count, StringView(word.c_str(), word.size()));
            const StringView environment[] = { "A=b" };
            InitialStackContents contents { { arguments.data(), arguments.size() }, environment, {}, RANDOM };
            auto rsp = build_initial_stack(stack.span(), STACK_TOP, contents);
            ASSERT_FALSE(rsp.is_error());
            EXPECT_EQ(rsp.value() % 16, 0u) << length << " x " << count;
            Parsed parsed = parse(stack, rsp.value());
            EXPECT_EQ(parsed.argc, count);
            EXPECT_EQ(parsed.argv[count - 1], word);
            VirtAddr random = aux_value(parsed, AT_RANDOM);
            EXPECT_EQ(random % 16, 0u);
            EXPECT_GT(random, rsp.value());
        }
    }
}

TEST(InitialStack, RefusesWhatDoesNotFit)
{
    std::string long_argument(5000, 'a');
    const StringView arguments[] = { "prog", StringView(long_argument.c_str(), long_argument.size()) };
    InitialStackContents contents { arguments, {}, {}, RANDOM };
    Stack small(4 * KiB);
    auto result = build_initial_stack(small.span(), STACK_TOP, contents);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), E2BIG);
    // Nothing was written.
    EXPECT_EQ(small.bytes[small.bytes.size() - 1], 0xcc);

    Stack enough(8 * KiB);
    EXPECT_FALSE(build_initial_stack(enough.span(), STACK_TOP, contents).is_error());

    std::vector<StringView> too_many(user::MAX_ARGUMENTS + 1, StringView("x"));
    InitialStackContents many { { too_many.data(), too_many.size() }, {}, {}, RANDOM };
    Stack big(64 * KiB);
    auto many_result = build_initial_stack(big.span(), STACK_TOP, many);
    ASSERT_TRUE(many_result.is_error());
    EXPECT_EQ(many_result.error().code(), E2BIG);
}

TEST(InitialStack, RefusesMalformedRequests)
{
    Stack stack(8 * KiB);
    const StringView arguments[] = { "prog" };
    auto code = [&](const InitialStackContents& contents, VirtAddr top = STACK_TOP) {
        auto result = build_initial_stack(stack.span(), top, contents);
        return result.is_error() ? result.error().code() : 0;
    };
    EXPECT_EQ(code({ {}, {}, {}, RANDOM }), EINVAL); // no argv[0]
    EXPECT_EQ(code({ arguments, {}, {}, { RANDOM, 8 } }), EINVAL);
    const char with_nul[] = { 'a', 0, 'b' };
    const StringView bad[] = { StringView(with_nul, 3) };
    EXPECT_EQ(code({ bad, {}, {}, RANDOM }), EINVAL);
    EXPECT_EQ(code({ arguments, bad, {}, RANDOM }), EINVAL);
    EXPECT_EQ(code({ arguments, {}, {}, RANDOM }, STACK_TOP - 8), EINVAL); // top not 16-aligned
    EXPECT_EQ(code({ arguments, {}, {}, RANDOM }), 0);
}
