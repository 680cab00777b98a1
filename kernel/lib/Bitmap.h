#pragma once

// Bitmap: a non-owning view of `size()` bits stored in u64 words, bit i in
// word i / 64 at position i % 64. Allocators keep the words (in a static
// array or in memory they carve out early) and look free slots up here.
// Bits past size() in the last word are never read as valid bits and never
// written. Indices past size() are kernel bugs and trip LIB_VERIFY. No
// locking: the owner serializes access.
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Types.h>

namespace lib {

class Bitmap {
public:
    static constexpr usize npos = ~usize(0);
    static constexpr usize BITS_PER_WORD = 64;

    // How many u64 words hold `bit_count` bits.
    static constexpr usize words_for(usize bit_count)
    {
        return bit_count / BITS_PER_WORD + (bit_count % BITS_PER_WORD != 0);
    }

    constexpr Bitmap() = default;
    constexpr Bitmap(u64* words, usize bit_count)
        : m_words(words)
        , m_size(bit_count)
    {
    }

    constexpr usize size() const { return m_size; }
    constexpr u64* words() const { return m_words; }
    constexpr usize word_count() const { return words_for(m_size); }

    bool test(usize index) const
    {
        LIB_VERIFY(index < m_size);
        return (m_words[index / BITS_PER_WORD] >> (index % BITS_PER_WORD)) & 1;
    }
    void set(usize index)
    {
        LIB_VERIFY(index < m_size);
        m_words[index / BITS_PER_WORD] |= u64(1) << (index % BITS_PER_WORD);
    }
    void clear(usize index)
    {
        LIB_VERIFY(index < m_size);
        m_words[index / BITS_PER_WORD] &= ~(u64(1) << (index % BITS_PER_WORD));
    }

    // Bits [start, start + count); the range must lie inside the bitmap.
    void set_range(usize start, usize count);
    void clear_range(usize start, usize count);
    void set_all() { set_range(0, m_size); }
    void clear_all() { clear_range(0, m_size); }

    // The lowest index >= from whose bit is set (clear), or npos.
    usize find_first_set(usize from = 0) const;
    usize find_first_clear(usize from = 0) const;

    // The lowest index >= from that starts `count` consecutive clear bits, or
    // npos (also for count == 0). For contiguous allocations.
    usize find_clear_run(usize count, usize from = 0) const;

    usize count_set() const;
    usize count_clear() const { return m_size - count_set(); }

private:
    enum class Want : u8 {
        Set,
        Clear,
    };
    usize find_first(Want want, usize from) const;
    void fill_range(usize start, usize count, Want want);

    u64* m_words { nullptr };
    usize m_size { 0 };
};

} // namespace lib

using lib::Bitmap;
