#pragma once

// Host stand-ins for the heap tests: a PageSource on aligned_alloc with a page
// budget (so exhaustion can be tested) and a choice of placement (so zones
// that do not start on a 2 MiB boundary are exercised), and a report hook
// that records what the heap reported.
#include <cstdlib>
#include <cstring>
#include <kernel/mm/Heap.h>
#include <map>
#include <mutex>
#include <vector>

namespace heap_test {

class TestPageSource final : public mm::PageSource {
public:
    static constexpr usize UNLIMITED = ~usize(0);

    // offset_pages: where runs start relative to a 2 MiB boundary; NATURAL
    // takes whatever aligned_alloc(4096) returns.
    static constexpr usize NATURAL = ~usize(0);

    explicit TestPageSource(usize budget_pages = UNLIMITED, usize offset_pages = NATURAL)
        : m_budget(budget_pages)
        , m_offset_pages(offset_pages)
    {
    }
    TestPageSource(const TestPageSource&) = delete;
    TestPageSource& operator=(const TestPageSource&) = delete;

    ~TestPageSource()
    {
        for (auto& [pages, run] : m_runs)
            std::free(run.allocation);
    }

    ErrorOr<u8*> allocate_pages(usize count) override
    {
        std::lock_guard guard(m_mutex);
        ++m_requests;
        if (count > m_budget - m_pages_out)
            return Error::from_errno(ENOMEM);
        usize bytes = count * PAGE_SIZE;
        void* allocation;
        u8* pages;
        if (m_offset_pages == NATURAL) {
            allocation = std::aligned_alloc(PAGE_SIZE, bytes);
            pages = static_cast<u8*>(allocation);
        } else {
            allocation
                = std::aligned_alloc(HUGE_PAGE_SIZE, align_up(bytes + m_offset_pages * PAGE_SIZE, HUGE_PAGE_SIZE));
            pages = static_cast<u8*>(allocation) + m_offset_pages * PAGE_SIZE;
        }
        if (!allocation)
            return Error::from_errno(ENOMEM);
        std::memset(pages, 0xdb, bytes); // garbage, as fresh frames would hold
        m_runs[pages] = { allocation, count };
        m_pages_out += count;
        return pages;
    }

    void free_pages(u8* pages, usize count) override
    {
        std::lock_guard guard(m_mutex);
        auto it = m_runs.find(pages);
        if (it == m_runs.end() || it->second.count != count) {
            ++m_bad_frees;
            return;
        }
        std::free(it->second.allocation);
        m_runs.erase(it);
        m_pages_out -= count;
    }

    // The start of the run holding `pointer`, or null.
    u8* run_containing(const void* pointer)
    {
        std::lock_guard guard(m_mutex);
        auto* target = static_cast<const u8*>(pointer);
        auto it = m_runs.upper_bound(const_cast<u8*>(target));
        if (it == m_runs.begin())
            return nullptr;
        --it;
        return target < it->first + it->second.count * PAGE_SIZE ? it->first : nullptr;
    }

    usize pages_out() const { return m_pages_out; }
    usize runs_out() const { return m_runs.size(); }
    usize requests() const { return m_requests; }
    usize bad_frees() const { return m_bad_frees; }

private:
    struct Run {
        void* allocation;
        usize count;
    };
    std::mutex m_mutex;
    usize m_budget;
    usize m_offset_pages;
    usize m_pages_out { 0 };
    usize m_requests { 0 };
    usize m_bad_frees { 0 };
    std::map<u8*, Run> m_runs;
};

// The reports of the heap under test (one test runs at a time; guarded for
// the concurrent tests).
inline std::mutex g_reports_mutex;
inline std::vector<mm::FreeReport> g_reports;

inline void record_report(const mm::FreeReport& report)
{
    std::lock_guard guard(g_reports_mutex);
    g_reports.push_back(report);
}

inline std::vector<mm::FreeReport> take_reports()
{
    std::lock_guard guard(g_reports_mutex);
    std::vector<mm::FreeReport> reports;
    reports.swap(g_reports);
    return reports;
}

inline uptr address(const void* pointer)
{
    return reinterpret_cast<uptr>(pointer);
}

inline bool aligned_to(const void* pointer, usize alignment)
{
    return address(pointer) % alignment == 0;
}

// What the heap should hand out for a request: the reference for size classes.
inline usize expected_usable(usize size, usize alignment)
{
    size = size ? size : 1;
    alignment = alignment < 16 ? 16 : alignment;
    for (u32 class_size : mm::HEAP_CACHE_SIZES) {
        usize natural = class_size & (~class_size + 1);
        if (natural < 16)
            natural = 16;
        if (class_size >= size && natural >= alignment)
            return class_size;
    }
    usize bytes = size > alignment ? size : alignment;
    for (usize block = PAGE_SIZE; block <= MiB; block *= 2) {
        if (bytes <= block)
            return block;
    }
    return align_up(size, PAGE_SIZE); // large, for alignment <= PAGE_SIZE
}

} // namespace heap_test
