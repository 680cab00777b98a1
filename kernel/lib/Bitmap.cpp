// Word-at-a-time bitmap scans and range updates (see Bitmap.h).
#include <kernel/lib/Bitmap.h>

namespace lib {

namespace {

// Mask of bits [low, high) within one word, 0 <= low < high <= 64.
constexpr u64 bit_mask(usize low, usize high)
{
    u64 upper = high == 64 ? ~u64(0) : (u64(1) << high) - 1;
    return upper & (~u64(0) << low);
}

} // namespace

void Bitmap::fill_range(usize start, usize count, Want want)
{
    LIB_VERIFY(start <= m_size && count <= m_size - start);
    usize end = start + count;
    while (start < end) {
        usize word = start / BITS_PER_WORD;
        usize low = start % BITS_PER_WORD;
        usize high = min(end - word * BITS_PER_WORD, BITS_PER_WORD);
        u64 mask = bit_mask(low, high);
        if (want == Want::Set)
            m_words[word] |= mask;
        else
            m_words[word] &= ~mask;
        start = word * BITS_PER_WORD + high;
    }
}

void Bitmap::set_range(usize start, usize count)
{
    fill_range(start, count, Want::Set);
}

void Bitmap::clear_range(usize start, usize count)
{
    fill_range(start, count, Want::Clear);
}

usize Bitmap::find_first(Want want, usize from) const
{
    if (from >= m_size)
        return npos;
    usize word_index = from / BITS_PER_WORD;
    usize words = word_count();
    u64 invert = want == Want::Set ? 0 : ~u64(0);
    u64 word = (m_words[word_index] ^ invert) & (~u64(0) << (from % BITS_PER_WORD));
    while (true) {
        if (word) {
            // Bits past m_size only live above every valid bit of the last
            // word, so a hit there means there is no valid hit at all.
            usize index = word_index * BITS_PER_WORD + __builtin_ctzll(word);
            return index < m_size ? index : npos;
        }
        if (++word_index >= words)
            return npos;
        word = m_words[word_index] ^ invert;
    }
}

usize Bitmap::find_first_set(usize from) const
{
    return find_first(Want::Set, from);
}

usize Bitmap::find_first_clear(usize from) const
{
    return find_first(Want::Clear, from);
}

usize Bitmap::find_clear_run(usize count, usize from) const
{
    if (count == 0)
        return npos;
    while (true) {
        usize start = find_first_clear(from);
        if (start == npos || count > m_size - start)
            return npos;
        usize blocker = find_first_set(start);
        if (blocker == npos || blocker >= start + count)
            return start;
        from = blocker + 1;
    }
}

usize Bitmap::count_set() const
{
    usize total = 0;
    usize full_words = m_size / BITS_PER_WORD;
    for (usize i = 0; i < full_words; ++i)
        total += __builtin_popcountll(m_words[i]);
    if (m_size % BITS_PER_WORD)
        total += __builtin_popcountll(m_words[full_words] & bit_mask(0, m_size % BITS_PER_WORD));
    return total;
}

} // namespace lib
