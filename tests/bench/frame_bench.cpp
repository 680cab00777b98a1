// Host benchmark of mm::PhysicalAllocator over a simulated 1 GiB memory map
// (PC-like: low memory, a hole below 1 MiB, the rest usable). Prints
// operations per second; never fails on speed. Note that the host library is
// built with ASan and UBSan, so absolute numbers are below a plain build's.
#include <chrono>
#include <cstdio>
#include <kernel/mm/PhysicalAllocator.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(const char* what, u64 operations, double seconds)
{
    auto count = static_cast<double>(operations);
    std::printf("%-48s %10llu ops in %.3f s: %12.0f ops/s, %7.1f ns/op\n", what,
        static_cast<unsigned long long>(operations), seconds, count / seconds, seconds * 1e9 / count);
}

} // namespace

int main()
{
    std::vector<boot::MemoryRegion> map = {
        { 0, 0x9fc00, boot::MemoryType::Usable },
        { 0xf0000, 0x10000, boot::MemoryType::Reserved },
        { 1 * MiB, 1023 * MiB, boot::MemoryType::Usable },
    };
    usize bytes = mm::PhysicalAllocator::bitmap_bytes_needed({ map.data(), map.size() });
    std::vector<u64> storage(bytes / sizeof(u64));
    static mm::PhysicalAllocator allocator;
    if (allocator.initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()), bytes }).is_error()) {
        std::fprintf(stderr, "frame_bench: initialize failed\n");
        return 1;
    }
    // Keep the low 64 MiB busy, as the kernel image and early allocations would.
    if (allocator.reserve(0, 64 * MiB).is_error())
        return 1;
    std::printf("frame_bench: %zu frames managed, %zu free, bitmap %zu bytes\n", allocator.stats().total,
        allocator.stats().free, bytes);

    constexpr u64 PAIRS = 5'000'000;
    auto start = Clock::now();
    for (u64 i = 0; i < PAIRS; ++i) {
        auto frame = allocator.allocate_frame();
        if (frame.is_error() || allocator.free_frame(frame.value()).is_error())
            return 1;
    }
    report("allocate_frame+free_frame pairs", PAIRS, seconds_since(start));

    // Fill everything, then free everything: the scan walks the whole bitmap.
    std::vector<PhysAddr> frames;
    frames.reserve(allocator.stats().free);
    start = Clock::now();
    for (;;) {
        auto frame = allocator.allocate_frame();
        if (frame.is_error())
            break;
        frames.push_back(frame.value());
    }
    for (PhysAddr frame : frames)
        (void)allocator.free_frame(frame);
    report("allocate all frames, then free all", 2 * frames.size(), seconds_since(start));

    // Fragmented: every other frame of the first 128 MiB above the reserve is taken.
    for (u64 a = 64 * MiB; a < 192 * MiB; a += 2 * PAGE_SIZE)
        (void)allocator.reserve(a, PAGE_SIZE);
    constexpr u64 RUNS = 20'000;
    start = Clock::now();
    for (u64 i = 0; i < RUNS; ++i) {
        auto run = allocator.allocate_contiguous(16);
        if (run.is_error() || allocator.free_contiguous(run.value(), 16).is_error())
            return 1;
    }
    report("allocate_contiguous(16)+free, fragmented start", RUNS, seconds_since(start));

    start = Clock::now();
    for (u64 i = 0; i < RUNS; ++i) {
        auto run = allocator.allocate_contiguous(512, 512);
        if (run.is_error() || allocator.free_contiguous(run.value(), 512).is_error())
            return 1;
    }
    report("allocate_contiguous(512, 2 MiB aligned)+free", RUNS, seconds_since(start));
    return 0;
}
