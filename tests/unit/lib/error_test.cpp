// ErrorOr, TRY and MUST.
#include <gtest/gtest.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/OwnPtr.h>
#include <string>

namespace {

int g_steps_after_try = 0;

ErrorOr<int> parse_positive(int input)
{
    if (input <= 0)
        return Error::from_errno(EINVAL);
    return input;
}

ErrorOr<int> twice(int input)
{
    int value = TRY(parse_positive(input));
    ++g_steps_after_try;
    return value * 2;
}

ErrorOr<void> check_all(std::initializer_list<int> inputs)
{
    for (int input : inputs)
        TRY(parse_positive(input));
    return {};
}

ErrorOr<std::string> make_string(bool fail)
{
    if (fail)
        return Error::from_errno(ENOSPC);
    return std::string(64, 's');
}

ErrorOr<usize> string_length(bool fail)
{
    std::string text = TRY(make_string(fail));
    return text.size();
}

TEST(ErrorOr, HoldsAValueOrAnErrno)
{
    ErrorOr<int> good = 5;
    EXPECT_FALSE(good.is_error());
    EXPECT_EQ(good.value(), 5);
    EXPECT_EQ(good.value_or(7), 5);
    ErrorOr<int> bad = Error::from_errno(ENODEV);
    EXPECT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code(), ENODEV);
    EXPECT_EQ(bad.value_or(7), 7);
    EXPECT_EQ(Error::from_errno(EBUSY), Error::from_errno(EBUSY));
    EXPECT_STREQ(lib::errno_name(EADDRINUSE), "EADDRINUSE");
    EXPECT_STREQ(lib::errno_name(-1), "E?");
}

TEST(ErrorOr, TryPropagatesTheErrnoAndStopsTheFunction)
{
    g_steps_after_try = 0;
    auto result = twice(-3);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), EINVAL);
    EXPECT_EQ(g_steps_after_try, 0);
    EXPECT_EQ(twice(21).value(), 42);
    EXPECT_EQ(g_steps_after_try, 1);
    EXPECT_FALSE(check_all({ 1, 2, 3 }).is_error());
    EXPECT_EQ(check_all({ 1, -2, 3 }).error().code(), EINVAL);
}

TEST(ErrorOr, TryMovesNonTrivialValues)
{
    EXPECT_EQ(string_length(false).value(), 64u);
    EXPECT_EQ(string_length(true).error().code(), ENOSPC);
    ErrorOr<OwnPtr<int>> owned = MUST(try_make<int>(4));
    EXPECT_EQ(*owned.value(), 4);
    OwnPtr<int> taken = owned.release_value();
    EXPECT_EQ(*taken, 4);
}

TEST(ErrorOr, MustYieldsTheValue)
{
    EXPECT_EQ(MUST(twice(4)), 8);
    MUST(check_all({ 1 }));
}

TEST(ErrorOrDeathTest, MustAbortsWithTheErrnoName)
{
    EXPECT_DEATH(MUST(twice(0)), "MUST\\(twice\\(0\\)\\) failed with EINVAL");
}

TEST(ErrorOrDeathTest, ReadingTheValueOfAnErrorIsAnInvariantViolation)
{
    ErrorOr<int> bad = Error::from_errno(EBUSY);
    EXPECT_DEATH((void)bad.value(), "VERIFY\\(m_has_value\\)");
    EXPECT_DEATH((void)bad.release_value(), "VERIFY\\(m_has_value\\)");
}

} // namespace
