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

} // namespace
