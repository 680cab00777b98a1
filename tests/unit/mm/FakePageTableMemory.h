#pragma once

// Simulated physical memory for page-table tests: a block of host memory that
// plays frames [BASE, BASE + frames * 4 KiB), a table allocator over it with
// an optional budget (to test ENOMEM), counters, and a log of invalidations.
#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>
#include <kernel/mm/PageTable.h>
#include <set>
#include <vector>

class FakePageTableMemory final : public mm::PageTableMemory {
public:
    static constexpr PhysAddr BASE = 0x40000000;

    explicit FakePageTableMemory(usize frames = 256)
        : m_storage(static_cast<u8*>(std::aligned_alloc(PAGE_SIZE, frames * PAGE_SIZE)))
    {
        std::memset(m_storage, 0xcc, frames * PAGE_SIZE); // garbage, so missing zeroing shows
        for (usize i = frames; i > 0; --i)
            m_free.push_back(BASE + (i - 1) * PAGE_SIZE);
    }
    ~FakePageTableMemory() { std::free(m_storage); }
    FakePageTableMemory(const FakePageTableMemory&) = delete;
    FakePageTableMemory& operator=(const FakePageTableMemory&) = delete;

    u64* table(PhysAddr physical) override
    {
        EXPECT_TRUE(m_in_use.count(physical)) << "table access to a frame not in use: " << std::hex << physical;
        return reinterpret_cast<u64*>(m_storage + (physical - BASE));
    }

    ErrorOr<PhysAddr> allocate_table() override
    {
        if (m_free.empty() || m_budget == 0)
            return Error::from_errno(ENOMEM);
        if (m_budget > 0)
            --m_budget;
        PhysAddr frame = m_free.back();
        m_free.pop_back();
        m_in_use.insert(frame);
        std::memset(m_storage + (frame - BASE), 0, PAGE_SIZE);
        ++allocations;
        return frame;
    }

    void free_table(PhysAddr physical) override
    {
        EXPECT_EQ(m_in_use.erase(physical), 1u) << "free of a table frame not in use: " << std::hex << physical;
        std::memset(m_storage + (physical - BASE), 0xdd, PAGE_SIZE); // poison, so use after free shows
        m_free.push_back(physical);
        ++frees;
    }

    void invalidate_page(VirtAddr address) override { invalidations.push_back(address); }

    usize tables_in_use() const { return m_in_use.size(); }
    // At most `count` more tables may be allocated; -1 for no limit.
    void set_budget(long count) { m_budget = count; }
    bool was_invalidated(VirtAddr address) const
    {
        for (VirtAddr a : invalidations) {
            if (a == address)
                return true;
        }
        return false;
    }

    std::vector<VirtAddr> invalidations;
    usize allocations { 0 };
    usize frees { 0 };

private:
    u8* m_storage;
    std::vector<PhysAddr> m_free;
    std::set<PhysAddr> m_in_use;
    long m_budget { -1 };
};
