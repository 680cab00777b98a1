// Bitmap: against std::vector<bool> for random updates and every search
// start, plus the rule that bits past size() are neither read nor written.
#include <algorithm>
#include <gtest/gtest.h>
#include <kernel/lib/Bitmap.h>
#include <random>
#include <vector>

namespace {

usize model_find(const std::vector<bool>& bits, bool wanted, usize from)
{
    for (usize i = from; i < bits.size(); ++i) {
        if (bits[i] == wanted)
            return i;
    }
    return Bitmap::npos;
}

usize model_run(const std::vector<bool>& bits, usize count, usize from)
{
    if (count == 0)
        return Bitmap::npos;
    for (usize start = from; start + count <= bits.size(); ++start) {
        bool all_clear = true;
        for (usize i = start; i < start + count && all_clear; ++i)
            all_clear = !bits[i];
        if (all_clear)
            return start;
    }
    return Bitmap::npos;
}

TEST(Bitmap, BasicOperations)
{
    u64 words[2] {};
    Bitmap bitmap(words, 100);
    EXPECT_EQ(bitmap.size(), 100u);
    EXPECT_EQ(bitmap.word_count(), 2u);
    EXPECT_EQ(bitmap.find_first_set(), Bitmap::npos);
    EXPECT_EQ(bitmap.find_first_clear(), 0u);
    bitmap.set(0);
    bitmap.set(63);
    bitmap.set(64);
    bitmap.set(99);
    EXPECT_TRUE(bitmap.test(63));
    EXPECT_FALSE(bitmap.test(62));
    EXPECT_EQ(words[0], (u64(1) << 63) | 1);
    EXPECT_EQ(words[1], (u64(1) << 35) | 1);
    EXPECT_EQ(bitmap.count_set(), 4u);
    EXPECT_EQ(bitmap.count_clear(), 96u);
    EXPECT_EQ(bitmap.find_first_set(1), 63u);
    EXPECT_EQ(bitmap.find_first_set(65), 99u);
    EXPECT_EQ(bitmap.find_first_clear(63), 65u);
    bitmap.clear(63);
    EXPECT_FALSE(bitmap.test(63));
    bitmap.set_range(10, 70);
    EXPECT_EQ(bitmap.count_set(), 70u + 2);
    EXPECT_EQ(bitmap.find_first_clear(10), 80u);
    bitmap.clear_range(20, 5);
    EXPECT_EQ(bitmap.find_clear_run(5), 1u);
    EXPECT_EQ(bitmap.find_clear_run(5, 10), 20u);
    EXPECT_EQ(bitmap.find_clear_run(6, 10), 80u);
    EXPECT_EQ(bitmap.find_clear_run(19, 10), 80u);
    EXPECT_EQ(bitmap.find_clear_run(20, 10), Bitmap::npos);
    bitmap.set_all();
    EXPECT_EQ(bitmap.count_set(), 100u);
    EXPECT_EQ(bitmap.find_first_clear(), Bitmap::npos);
    bitmap.clear_all();
    EXPECT_EQ(bitmap.count_set(), 0u);
}

TEST(Bitmap, BitsPastTheEndAreIgnoredAndPreserved)
{
    u64 words[2] { 0, ~u64(0) };
    Bitmap bitmap(words, 70); // bits 70..127 of the storage are not ours
    bitmap.clear_all();
    EXPECT_EQ(words[1], ~u64(0) << 6) << "bits past size() are never written";
    EXPECT_EQ(bitmap.count_set(), 0u);
    EXPECT_EQ(bitmap.find_first_set(), Bitmap::npos);
    EXPECT_EQ(bitmap.find_first_set(69), Bitmap::npos);
    bitmap.set_all();
    EXPECT_EQ(bitmap.find_first_clear(), Bitmap::npos);
    EXPECT_EQ(bitmap.count_clear(), 0u);
    words[1] = 0x3f;
    EXPECT_EQ(bitmap.find_first_clear(), Bitmap::npos);
    EXPECT_EQ(bitmap.find_clear_run(1), Bitmap::npos);
}

TEST(BitmapDeathTest, OutOfRangeIsAnInvariantViolation)
{
    u64 word = 0;
    Bitmap bitmap(&word, 10);
    EXPECT_DEATH(bitmap.set(10), "VERIFY\\(index < m_size\\)");
    EXPECT_DEATH((void)bitmap.test(64), "VERIFY");
    EXPECT_DEATH(bitmap.set_range(5, 6), "VERIFY");
}

TEST(Bitmap, MatchesVectorBoolUnderRandomOperations)
{
    std::mt19937_64 rng(0xb17);
    for (usize size : { 1u, 63u, 64u, 65u, 200u, 1000u }) {
        std::vector<u64> words(Bitmap::words_for(size), 0x5555555555555555ull);
        Bitmap bitmap(words.data(), size);
        bitmap.clear_all();
        std::vector<bool> model(size, false);
        for (int step = 0; step < 3000; ++step) {
            usize a = rng() % size;
            usize count = rng() % (size - a + 1);
            switch (rng() % 5) {
            case 0:
                bitmap.set(a);
                model[a] = true;
                break;
            case 1:
                bitmap.clear(a);
                model[a] = false;
                break;
            case 2:
                bitmap.set_range(a, count);
                std::fill_n(model.begin() + static_cast<isize>(a), count, true);
                break;
            case 3:
                bitmap.clear_range(a, count);
                std::fill_n(model.begin() + static_cast<isize>(a), count, false);
                break;
            default:
                break;
            }
            usize from = rng() % (size + 2);
            ASSERT_EQ(bitmap.find_first_set(from), model_find(model, true, from));
            ASSERT_EQ(bitmap.find_first_clear(from), model_find(model, false, from));
            usize run = 1 + rng() % 8;
            ASSERT_EQ(bitmap.find_clear_run(run, from), model_run(model, run, from)) << "size " << size;
            ASSERT_EQ(bitmap.count_set(), static_cast<usize>(std::count(model.begin(), model.end(), true)));
            ASSERT_EQ(bitmap.test(a), model[a]);
        }
    }
}

} // namespace
