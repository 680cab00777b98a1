// StringView: searching, slicing at the edges, trimming, number parsing.
#include <gtest/gtest.h>
#include <kernel/lib/StringView.h>
#include <string>

namespace {

std::string str(StringView view)
{
    return std::string(view.characters() ? view.characters() : "", view.length());
}

TEST(StringView, ConstructionAndComparison)
{
    EXPECT_TRUE(StringView().is_empty());
    EXPECT_TRUE(StringView(static_cast<const char*>(nullptr)).is_empty());
    EXPECT_EQ(StringView("abc").length(), 3u);
    EXPECT_EQ(StringView("abcdef", 3), StringView("abc"));
    EXPECT_FALSE(StringView("abc") == StringView("abd"));
    EXPECT_FALSE(StringView("abc") == StringView("ab"));
    EXPECT_EQ(StringView(), StringView(""));
}

TEST(StringView, FindCharacter)
{
    StringView text("a/b//c");
    EXPECT_EQ(text.find('/'), 1u);
    EXPECT_EQ(text.find('/', 2), 3u);
    EXPECT_EQ(text.find('/', 5), StringView::npos);
    EXPECT_EQ(text.find('x'), StringView::npos);
    EXPECT_EQ(text.find('a', 100), StringView::npos);
    EXPECT_EQ(text.find_last('/'), 4u);
    EXPECT_EQ(text.find_last('a'), 0u);
    EXPECT_EQ(text.find_last('x'), StringView::npos);
    EXPECT_EQ(StringView().find_last('x'), StringView::npos);
    EXPECT_TRUE(text.contains('c'));
    EXPECT_FALSE(text.contains('z'));
}

TEST(StringView, FindSubstring)
{
    StringView text("abcabcab");
    EXPECT_EQ(text.find("abc"), 0u);
    EXPECT_EQ(text.find("abc", 1), 3u);
    EXPECT_EQ(text.find("cab", 4), 5u);
    EXPECT_EQ(text.find("abc", 4), StringView::npos);
    EXPECT_EQ(text.find("ab", 6), 6u) << "a match that ends at the last character";
    EXPECT_EQ(text.find("abcabcabc"), StringView::npos) << "needle longer than the text";
    EXPECT_EQ(text.find("abcabcab"), 0u);
    EXPECT_EQ(text.find(""), 0u);
    EXPECT_EQ(text.find("", 8), 8u);
    EXPECT_EQ(text.find("", 9), StringView::npos);
    EXPECT_EQ(StringView().find(""), 0u);
    EXPECT_EQ(StringView().find("a"), StringView::npos);
    EXPECT_TRUE(text.contains("bca"));
    EXPECT_FALSE(text.contains("bcb"));
}

// Regression: `from` near npos made `i + needle.length()` wrap around to a
// small number and the search restarted from the beginning.
TEST(StringView, FindWithFromNearNposDoesNotWrapAround)
{
    StringView text("needle");
    EXPECT_EQ(text.find("n", StringView::npos), StringView::npos);
    EXPECT_EQ(text.find("ne", StringView::npos - 1), StringView::npos);
    EXPECT_EQ(text.find('n', StringView::npos), StringView::npos);
}

TEST(StringView, SubstringEdges)
{
    StringView text("kernel");
    EXPECT_EQ(str(text.substring(0)), "kernel");
    EXPECT_EQ(str(text.substring(3)), "nel");
    EXPECT_EQ(str(text.substring(6)), "");
    EXPECT_TRUE(text.substring(7).is_empty());
    EXPECT_TRUE(text.substring(StringView::npos).is_empty());
    EXPECT_EQ(str(text.substring(2, 2)), "rn");
    EXPECT_EQ(str(text.substring(2, 100)), "rnel");
    EXPECT_EQ(str(text.substring(2, StringView::npos)), "rnel");
    EXPECT_EQ(str(text.substring(6, 1)), "");
    EXPECT_EQ(text.substring(6).characters(), text.characters() + 6);
}

TEST(StringView, PrefixSuffixTrim)
{
    StringView text("  \tmount /dev/sda1\r\n");
    StringView trimmed = text.trim_whitespace();
    EXPECT_EQ(str(trimmed), "mount /dev/sda1");
    EXPECT_TRUE(trimmed.starts_with("mount"));
    EXPECT_TRUE(trimmed.starts_with(""));
    EXPECT_FALSE(trimmed.starts_with("mount /dev/sda12"));
    EXPECT_TRUE(trimmed.ends_with("sda1"));
    EXPECT_FALSE(trimmed.ends_with("xsda1"));
    EXPECT_TRUE(StringView(" \t\r\n").trim_whitespace().is_empty());
    EXPECT_TRUE(StringView().trim_whitespace().is_empty());
}

TEST(StringView, ToU64)
{
    u64 value = 0;
    EXPECT_TRUE(StringView("0").to_u64(value));
    EXPECT_EQ(value, 0u);
    EXPECT_TRUE(StringView("1234567890").to_u64(value));
    EXPECT_EQ(value, 1234567890u);
    EXPECT_TRUE(StringView("0xdeadBEEF").to_u64(value));
    EXPECT_EQ(value, 0xdeadbeefu);
    EXPECT_TRUE(StringView("0X10").to_u64(value));
    EXPECT_EQ(value, 16u);
    EXPECT_TRUE(StringView("18446744073709551615").to_u64(value));
    EXPECT_EQ(value, ~u64(0));
    EXPECT_TRUE(StringView("0xffffffffffffffff").to_u64(value));
    EXPECT_EQ(value, ~u64(0));
    EXPECT_TRUE(StringView("000000000000000000000000001").to_u64(value)) << "leading zeros do not overflow";
    EXPECT_EQ(value, 1u);

    value = 77;
    EXPECT_FALSE(StringView("18446744073709551616").to_u64(value)) << "2^64";
    EXPECT_FALSE(StringView("18446744073709551620").to_u64(value));
    EXPECT_FALSE(StringView("99999999999999999999").to_u64(value));
    EXPECT_FALSE(StringView("0x10000000000000000").to_u64(value));
    EXPECT_FALSE(StringView("").to_u64(value));
    EXPECT_FALSE(StringView("0x").to_u64(value));
    EXPECT_FALSE(StringView("12a").to_u64(value));
    EXPECT_FALSE(StringView("0xg").to_u64(value));
    EXPECT_FALSE(StringView(" 1").to_u64(value));
    EXPECT_FALSE(StringView("-1").to_u64(value));
    EXPECT_FALSE(StringView("+1").to_u64(value));
    EXPECT_EQ(value, 77u) << "a failed parse leaves the output alone";

    // Every value around each power of ten parses back exactly.
    for (u64 power = 1; power <= 1000000000000000000ull; power *= 10) {
        for (u64 candidate : { power - 1, power, power + 1 }) {
            std::string text = std::to_string(candidate);
            ASSERT_TRUE(StringView(text.c_str()).to_u64(value)) << text;
            ASSERT_EQ(value, candidate);
        }
    }
}

} // namespace
