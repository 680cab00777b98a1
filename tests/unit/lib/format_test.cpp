#include <climits>
#include <cstdio>
#include <gtest/gtest.h>
#include <kernel/lib/Format.h>
#include <string>

namespace {

template<typename... Args>
std::string fmt(const char* pattern, const Args&... args)
{
    char buffer[256];
    format_to(buffer, sizeof(buffer), pattern, args...);
    return buffer;
}

TEST(Format, PlainTextAndEscapes)
{
    EXPECT_EQ(fmt("hello"), "hello");
    EXPECT_EQ(fmt("{{}} {}", 1), "{} 1");
}

TEST(Format, Integers)
{
    EXPECT_EQ(fmt("{}", 0), "0");
    EXPECT_EQ(fmt("{}", -42), "-42");
    EXPECT_EQ(fmt("{}", 18446744073709551615ull), "18446744073709551615");
    EXPECT_EQ(fmt("{}", static_cast<long long>(-9223372036854775807ll - 1)), "-9223372036854775808");
    EXPECT_EQ(fmt("{:x}", 255u), "ff");
    EXPECT_EQ(fmt("{:#X}", 255u), "0XFF");
    EXPECT_EQ(fmt("{:#010x}", 0x1234u), "0x00001234");
    EXPECT_EQ(fmt("{:b}", 5u), "101");
    EXPECT_EQ(fmt("{:o}", 8u), "10");
    EXPECT_EQ(fmt("{:05}", -3), "-0003");
}

TEST(Format, WidthAndAlignment)
{
    EXPECT_EQ(fmt("[{:5}]", 42), "[   42]");
    EXPECT_EQ(fmt("[{:<5}]", 42), "[42   ]");
    EXPECT_EQ(fmt("[{:5}]", "ab"), "[ab   ]");
    EXPECT_EQ(fmt("[{:>5}]", "ab"), "[   ab]");
    EXPECT_EQ(fmt("[{:*>5}]", "ab"), "[***ab]");
    EXPECT_EQ(fmt("[{:.2}]", "abcdef"), "[ab]");
}

TEST(Format, OtherKinds)
{
    EXPECT_EQ(fmt("{} {}", true, false), "true false");
    EXPECT_EQ(fmt("{}", 'x'), "x");
    EXPECT_EQ(fmt("{}", reinterpret_cast<void*>(0x1000)), "0x0000000000001000");
    EXPECT_EQ(fmt("{}", Error::from_errno(ENOMEM)), "ENOMEM");
    EXPECT_EQ(fmt("{}", static_cast<const char*>(nullptr)), "(null)");
}

TEST(Format, MissingAndBadPlaceholders)
{
    EXPECT_EQ(fmt("{} {}", 1), "1 {missing}");
    EXPECT_EQ(fmt("{:q!}", 1), "{?}");
    EXPECT_EQ(fmt("unterminated {", 1), "unterminated {");
}

TEST(Format, TruncatesAndTerminates)
{
    char buffer[6];
    usize length = format_to(buffer, sizeof(buffer), "{}", "abcdefgh");
    EXPECT_EQ(length, 5u);
    EXPECT_STREQ(buffer, "abcde");
}

struct Point {
    int x, y;
};
void format_value(FormatSink& sink, const Point& p)
{
    format(sink, "({}, {})", p.x, p.y);
}

TEST(Format, CustomTypes)
{
    EXPECT_EQ(fmt("at {}", Point { 3, -4 }), "at (3, -4)");
}

// The formatter's integer output must equal snprintf's for the specs both
// understand. Each row pairs a format spec with its printf conversion.
struct SpecPair {
    const char* spec;
    const char* printf_format;
    bool nonzero_only; // '#' differs for 0: printf prints "0", we print "0x0"
};

TEST(Format, SignedIntegersMatchSnprintf)
{
    const SpecPair specs[] = {
        { "{}", "%lld", false },
        { "{:1}", "%1lld", false },
        { "{:8}", "%8lld", false },
        { "{:>8}", "%8lld", false },
        { "{:<8}", "%-8lld", false },
        { "{:08}", "%08lld", false },
        { "{:25}", "%25lld", false },
        { "{:025}", "%025lld", false },
        { "{:d}", "%lld", false },
    };
    const long long values[] = { 0, 1, -1, 9, -10, 42, -42, 1234567, -99999, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };
    for (const auto& spec : specs) {
        for (long long value : values) {
            char expected[64];
            std::snprintf(expected, sizeof(expected), spec.printf_format, value);
            EXPECT_EQ(fmt(spec.spec, value), expected) << spec.spec << " " << value;
        }
    }
}

TEST(Format, UnsignedIntegersMatchSnprintf)
{
    const SpecPair specs[] = {
        { "{}", "%llu", false },
        { "{:12}", "%12llu", false },
        { "{:<12}", "%-12llu", false },
        { "{:012}", "%012llu", false },
        { "{:x}", "%llx", false },
        { "{:X}", "%llX", false },
        { "{:o}", "%llo", false },
        { "{:>10o}", "%10llo", false },
        { "{:<10x}", "%-10llx", false },
        { "{:016x}", "%016llx", false },
        { "{:#x}", "%#llx", true },
        { "{:#X}", "%#llX", true },
        { "{:#o}", "%#llo", true },
        { "{:#018x}", "%#018llx", true },
        { "{:#24X}", "%#24llX", true },
    };
    const unsigned long long values[]
        = { 0, 1, 7, 8, 15, 16, 255, 256, 0xdeadbeef, 1ull << 32, 1ull << 63, ULLONG_MAX };
    for (const auto& spec : specs) {
        for (unsigned long long value : values) {
            if (spec.nonzero_only && value == 0)
                continue;
            char expected[64];
            std::snprintf(expected, sizeof(expected), spec.printf_format, value);
            EXPECT_EQ(fmt(spec.spec, value), expected) << spec.spec << " " << value;
        }
    }
}

TEST(Format, EveryIntegerTypeFormatsItsRange)
{
    EXPECT_EQ(fmt("{} {}", static_cast<signed char>(-128), static_cast<unsigned char>(255)), "-128 255");
    EXPECT_EQ(fmt("{} {}", static_cast<short>(-32768), static_cast<unsigned short>(65535)), "-32768 65535");
    EXPECT_EQ(fmt("{} {}", INT_MIN, UINT_MAX), "-2147483648 4294967295");
    EXPECT_EQ(fmt("{} {}", LONG_MIN, ULONG_MAX), "-9223372036854775808 18446744073709551615");
    EXPECT_EQ(fmt("{:#b}", 5u), "0b101");
    EXPECT_EQ(fmt("{:b}", ULLONG_MAX), std::string(64, '1'));
    EXPECT_EQ(fmt("{:x}", -255), "-ff") << "signed values keep their sign in any base";
    EXPECT_EQ(fmt("{:#x}", 0u), "0x0");
}

TEST(Format, CharactersAsNumbersAndNumbersAsCharacters)
{
    EXPECT_EQ(fmt("{:d}", 'A'), "65");
    EXPECT_EQ(fmt("{:x}", 'A'), "41");
    EXPECT_EQ(fmt("{:c}", 66), "B");
    EXPECT_EQ(fmt("{:c}", 67u), "C");
    EXPECT_EQ(fmt("[{:3}]", 'z'), "[z  ]");
    EXPECT_EQ(fmt("[{:>3}]", 'z'), "[  z]");
}

TEST(Format, StringsAndPointersWithWidths)
{
    EXPECT_EQ(fmt("[{:>6.2}]", "abcdef"), "[    ab]");
    EXPECT_EQ(fmt("[{:.0}]", "abc"), "[]");
    EXPECT_EQ(fmt("[{:.10}]", "abc"), "[abc]");
    EXPECT_EQ(fmt("[{:2}]", "abcdef"), "[abcdef]") << "width never truncates";
    EXPECT_EQ(fmt("[{:-^5}]", "x"), "[{?}]") << "centering is not supported";
    EXPECT_EQ(fmt("{}", StringView("abcdef", 3)), "abc");
    EXPECT_EQ(fmt("{}", static_cast<void*>(nullptr)), "0x0000000000000000");
    EXPECT_EQ(fmt("{:20}", reinterpret_cast<void*>(0xffff800000001000)), "  0xffff800000001000");
    EXPECT_EQ(fmt("[{:>8}]", Error::from_errno(EBUSY)), "[   EBUSY]");
    EXPECT_EQ(fmt("[{:6}]", true), "[true  ]");
}

TEST(Format, TruncationReportsAndZeroSizedBuffers)
{
    char buffer[8];
    lib::BufferSink sink(buffer, sizeof(buffer));
    format(sink, "{}-{}", 1234, 5678);
    EXPECT_TRUE(sink.truncated());
    EXPECT_EQ(sink.length(), 7u);
    EXPECT_STREQ(buffer, "1234-56");
    lib::BufferSink exact(buffer, sizeof(buffer));
    format(exact, "{}", 1234567);
    EXPECT_FALSE(exact.truncated());
    EXPECT_STREQ(buffer, "1234567");
    EXPECT_EQ(format_to(nullptr, 0, "{}", 42), 0u);
}

} // namespace
