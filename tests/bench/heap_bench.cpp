// Host benchmark of kernel/mm/Heap: kmalloc(64)/kfree operations per second,
// as pairs (the same object out and back), in batches (slabs fill and empty)
// and with mixed sizes. The host build carries ASan+UBSan, so these numbers
// are for comparing versions, not for quoting as the heap's raw speed; the
// in-kernel figure comes from kshell's `benchheap`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <kernel/mm/Heap.h>
#include <random>
#include <vector>

namespace {

class MallocPageSource final : public mm::PageSource {
public:
    ErrorOr<u8*> allocate_pages(usize count) override
    {
        void* pages = std::aligned_alloc(PAGE_SIZE, count * PAGE_SIZE);
        if (!pages)
            return Error::from_errno(ENOMEM);
        m_runs.push_back(pages);
        return static_cast<u8*>(pages);
    }
    void free_pages(u8* pages, usize) override
    {
        for (auto& run : m_runs) {
            if (run == pages) {
                std::free(run);
                run = m_runs.back();
                m_runs.pop_back();
                return;
            }
        }
    }
    ~MallocPageSource()
    {
        for (void* run : m_runs)
            std::free(run);
    }

private:
    std::vector<void*> m_runs;
};

using Clock = std::chrono::steady_clock;

void report(const char* what, u64 operations, Clock::duration elapsed)
{
    double seconds = std::chrono::duration<double>(elapsed).count();
    auto count = static_cast<double>(operations);
    std::printf("%-40s %10.0f ops/s %8.1f ns/op (%llu ops in %.3f s)\n", what, count / seconds, seconds * 1e9 / count,
        static_cast<unsigned long long>(operations), seconds);
}

} // namespace

int main(int argc, char** argv)
{
    u64 operations = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5000000;
    MallocPageSource source;
    static mm::Heap heap;
    heap.initialize(source, nullptr);

    void* warm = heap.allocate(64);
    heap.free(warm);
    auto start = Clock::now();
    for (u64 i = 0; i < operations; ++i) {
        void* object = heap.allocate(64);
        if (!object)
            return 1;
        heap.free(object);
    }
    report("kmalloc(64)+kfree pairs", operations, Clock::now() - start);

    constexpr usize BATCH = 1024;
    std::vector<void*> batch(BATCH);
    u64 rounds = operations / BATCH;
    Clock::duration allocating {};
    Clock::duration freeing {};
    for (u64 round = 0; round < rounds; ++round) {
        auto t0 = Clock::now();
        for (usize i = 0; i < BATCH; ++i)
            batch[i] = heap.allocate(64);
        auto t1 = Clock::now();
        for (usize i = 0; i < BATCH; ++i)
            heap.free(batch[i]);
        allocating += t1 - t0;
        freeing += Clock::now() - t1;
    }
    report("kmalloc(64), batches of 1024", rounds * BATCH, allocating);
    report("kfree(64), batches of 1024", rounds * BATCH, freeing);

    std::mt19937_64 random(1);
    std::vector<void*> live(4096, nullptr);
    start = Clock::now();
    for (u64 i = 0; i < operations; ++i) {
        void*& slot = live[random() % live.size()];
        if (slot) {
            heap.free(slot);
            slot = nullptr;
        } else {
            slot = heap.allocate(random() % 4 ? 16 + random() % 2033 : 4096 + random() % 60000);
        }
    }
    report("mixed 16..64K random alloc/free", operations, Clock::now() - start);
    for (void* slot : live)
        heap.free(slot);

    mm::HeapStats stats = heap.stats();
    std::printf("live %llu, pages %llu, zones %llu, failed %llu\n",
        static_cast<unsigned long long>(stats.live_allocations), static_cast<unsigned long long>(stats.pages),
        static_cast<unsigned long long>(stats.zones), static_cast<unsigned long long>(stats.failed_allocations));
    return stats.live_allocations == 0 ? 0 : 1;
}
