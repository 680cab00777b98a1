// mm::PhysicalAllocator on crafted memory maps: the 002 plan's PMM tests
// (section 8.2), alignment, reservation, bad frees and awkward maps.
#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>
#include <kernel/mm/PhysicalAllocator.h>
#include <memory>
#include <set>
#include <thread>
#include <vector>

using boot::MemoryRegion;
using boot::MemoryType;

namespace {

struct Fixture {
    explicit Fixture(std::vector<MemoryRegion> regions)
        : map(std::move(regions))
    {
        usize bytes = mm::PhysicalAllocator::bitmap_bytes_needed({ map.data(), map.size() });
        storage.resize(bytes / sizeof(u64) + 1);
        auto result
            = allocator.initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()), bytes });
        EXPECT_FALSE(result.is_error());
    }

    std::vector<MemoryRegion> map;
    std::vector<u64> storage;
    mm::PhysicalAllocator allocator;
};

std::unique_ptr<Fixture> make(std::vector<MemoryRegion> map)
{
    return std::make_unique<Fixture>(std::move(map));
}

// A small PC-like map: 636 KiB low, 1 MiB..64 MiB, a hole, and 32 MiB at 4 GiB.
std::vector<MemoryRegion> pc_map()
{
    return {
        { 0, 0x9fc00, MemoryType::Usable },
        { 0x9fc00, 0x400, MemoryType::Reserved },
        { 0xf0000, 0x10000, MemoryType::Reserved },
        { 1 * MiB, 63 * MiB, MemoryType::Usable },
        { 0xfec00000, 0x1000, MemoryType::Reserved },
        { 4 * GiB, 32 * MiB, MemoryType::Usable },
    };
}

usize pc_map_frames()
{
    return 0x9f + (63 * MiB) / PAGE_SIZE + (32 * MiB) / PAGE_SIZE;
}

std::vector<PhysAddr> allocate_all(mm::PhysicalAllocator& allocator)
{
    std::vector<PhysAddr> frames;
    for (;;) {
        auto frame = allocator.allocate_frame();
        if (frame.is_error()) {
            EXPECT_EQ(frame.error().code(), ENOMEM);
            return frames;
        }
        frames.push_back(frame.value());
    }
}

} // namespace

TEST(PhysicalAllocator, AllocateSingleFrame)
{
    auto f = make(pc_map());
    auto frame = f->allocator.allocate_frame();
    ASSERT_FALSE(frame.is_error());
    EXPECT_EQ(frame.value() % PAGE_SIZE, 0u);
    EXPECT_FALSE(f->allocator.is_free(frame.value()));
    EXPECT_EQ(f->allocator.stats().free, pc_map_frames() - 1);
    ASSERT_FALSE(f->allocator.free_frame(frame.value()).is_error());
    EXPECT_TRUE(f->allocator.is_free(frame.value()));
    EXPECT_EQ(f->allocator.stats().free, pc_map_frames());
}

TEST(PhysicalAllocator, HundredFramesAreDistinct)
{
    auto f = make(pc_map());
    std::set<PhysAddr> frames;
    for (int i = 0; i < 100; ++i) {
        auto frame = f->allocator.allocate_frame();
        ASSERT_FALSE(frame.is_error());
        EXPECT_TRUE(frames.insert(frame.value()).second) << "frame handed out twice";
    }
    EXPECT_EQ(f->allocator.stats().used, 100u);
    for (PhysAddr frame : frames)
        ASSERT_FALSE(f->allocator.free_frame(frame).is_error());
    EXPECT_EQ(f->allocator.stats().used, 0u);
}

TEST(PhysicalAllocator, ContiguousRunIsAllocated)
{
    auto f = make(pc_map());
    auto base = f->allocator.allocate_contiguous(16);
    ASSERT_FALSE(base.is_error());
    for (int i = 0; i < 16; ++i)
        EXPECT_FALSE(f->allocator.is_free(base.value() + i * PAGE_SIZE));
    EXPECT_EQ(f->allocator.stats().used, 16u);
    ASSERT_FALSE(f->allocator.free_contiguous(base.value(), 16).is_error());
    for (int i = 0; i < 16; ++i)
        EXPECT_TRUE(f->allocator.is_free(base.value() + i * PAGE_SIZE));
}

TEST(PhysicalAllocator, ExhaustionThenFreeEverything)
{
    auto f = make(pc_map());
    auto before = f->allocator.stats();
    auto frames = allocate_all(f->allocator);
    EXPECT_EQ(frames.size(), pc_map_frames());
    EXPECT_EQ(std::set<PhysAddr>(frames.begin(), frames.end()).size(), frames.size());
    EXPECT_EQ(f->allocator.stats().free, 0u);
    EXPECT_EQ(f->allocator.allocate_contiguous(1).error().code(), ENOMEM);
    for (PhysAddr frame : frames)
        ASSERT_FALSE(f->allocator.free_frame(frame).is_error());
    auto after = f->allocator.stats();
    EXPECT_EQ(after.total, before.total);
    EXPECT_EQ(after.free, before.free);
    EXPECT_EQ(after.used, 0u);
}

TEST(PhysicalAllocator, FirstFitReturnsLowestFreedFrame)
{
    auto f = make(pc_map());
    std::vector<PhysAddr> frames;
    frames.reserve(200);
    for (int i = 0; i < 200; ++i)
        frames.push_back(f->allocator.allocate_frame().value());
    EXPECT_TRUE(std::is_sorted(frames.begin(), frames.end()));
    ASSERT_FALSE(f->allocator.free_frame(frames[150]).is_error());
    ASSERT_FALSE(f->allocator.free_frame(frames[3]).is_error());
    EXPECT_EQ(f->allocator.allocate_frame().value(), frames[3]);
    EXPECT_EQ(f->allocator.allocate_frame().value(), frames[150]);
}

TEST(PhysicalAllocator, ContiguousHonoursAlignment)
{
    auto f = make(pc_map());
    ASSERT_FALSE(f->allocator.allocate_frame().is_error()); // frame 0: the next free one is misaligned
    for (usize alignment : { 2u, 8u, 64u, 512u }) {
        auto base = f->allocator.allocate_contiguous(3, alignment);
        ASSERT_FALSE(base.is_error());
        EXPECT_EQ(base.value() % (alignment * PAGE_SIZE), 0u) << "alignment " << alignment;
    }
    EXPECT_EQ(f->allocator.allocate_contiguous(1, 3).error().code(), EINVAL);
    EXPECT_EQ(f->allocator.allocate_contiguous(1, 0).error().code(), EINVAL);
    EXPECT_EQ(f->allocator.allocate_contiguous(0).error().code(), EINVAL);
}

TEST(PhysicalAllocator, ContiguousSkipsFragmentsAndHoles)
{
    // Two usable islands of 8 and 32 frames with a reserved hole between.
    auto f = make({ { 0x100000, 8 * PAGE_SIZE, MemoryType::Usable },
        { 0x100000 + 16 * PAGE_SIZE, 32 * PAGE_SIZE, MemoryType::Usable } });
    EXPECT_EQ(f->allocator.stats().total, 40u);
    auto run = f->allocator.allocate_contiguous(10);
    ASSERT_FALSE(run.is_error());
    EXPECT_EQ(run.value(), 0x100000 + 16 * PAGE_SIZE) << "a run may not span the hole";
    // Fragment the rest: every other frame of the second island taken.
    for (PhysAddr a = run.value() + 10 * PAGE_SIZE; a < 0x100000 + 48 * PAGE_SIZE; a += 2 * PAGE_SIZE) {
        ASSERT_FALSE(f->allocator.reserve(a, PAGE_SIZE).is_error());
    }
    EXPECT_EQ(f->allocator.allocate_contiguous(9).error().code(), ENOMEM);
    auto small = f->allocator.allocate_contiguous(8);
    ASSERT_FALSE(small.is_error());
    EXPECT_EQ(small.value(), 0x100000u);
}

TEST(PhysicalAllocator, ContiguousRespectsLimit)
{
    auto f = make(pc_map());
    auto low = f->allocator.allocate_contiguous(4, 1, 4 * GiB);
    ASSERT_FALSE(low.is_error());
    EXPECT_LE(low.value() + 4 * PAGE_SIZE, 4 * GiB);
    // Nothing fits below 64 KiB once the first 16 frames are gone.
    ASSERT_FALSE(f->allocator.allocate_contiguous(12).is_error());
    EXPECT_EQ(f->allocator.allocate_contiguous(1, 1, 64 * KiB).error().code(), ENOMEM);
}

TEST(PhysicalAllocator, ReservedFramesAreNeverHandedOut)
{
    auto f = make(pc_map());
    ASSERT_FALSE(f->allocator.reserve(0, 1 * MiB).is_error());
    ASSERT_FALSE(f->allocator.reserve(2 * MiB + 123, 5000).is_error()); // touches two frames
    auto stats = f->allocator.stats();
    EXPECT_EQ(stats.reserved, 0x9fu + 2);
    EXPECT_EQ(stats.used, stats.reserved);
    EXPECT_EQ(stats.free + stats.used, stats.total);
    for (PhysAddr frame : allocate_all(f->allocator)) {
        EXPECT_GE(frame, 1 * MiB);
        EXPECT_FALSE(frame == 2 * MiB || frame == 2 * MiB + PAGE_SIZE);
    }
}

TEST(PhysicalAllocator, ReserveIsIdempotentAndRefusesAllocatedFrames)
{
    auto f = make(pc_map());
    ASSERT_FALSE(f->allocator.reserve(1 * MiB, 64 * PAGE_SIZE).is_error());
    auto once = f->allocator.stats();
    ASSERT_FALSE(f->allocator.reserve(1 * MiB, 64 * PAGE_SIZE).is_error());
    ASSERT_FALSE(f->allocator.reserve(1 * MiB + PAGE_SIZE, PAGE_SIZE).is_error());
    auto twice = f->allocator.stats();
    EXPECT_EQ(once.reserved, 64u);
    EXPECT_EQ(twice.reserved, once.reserved);
    EXPECT_EQ(twice.free, once.free);

    auto frame = f->allocator.allocate_frame().value();
    EXPECT_EQ(frame, 0u);
    auto before = f->allocator.stats();
    EXPECT_EQ(f->allocator.reserve(frame, 3 * PAGE_SIZE).error().code(), EBUSY);
    auto after = f->allocator.stats();
    EXPECT_EQ(after.reserved, before.reserved);
    EXPECT_EQ(after.free, before.free);
    EXPECT_TRUE(f->allocator.is_free(frame + PAGE_SIZE)) << "a refused reserve changes nothing";
    // Ranges over holes and outside the managed range only count usable frames.
    ASSERT_FALSE(f->allocator.reserve(0x9f000, 0x1000000000).is_error());
    EXPECT_EQ(f->allocator.stats().free, 0x9eu); // frames 1..0x9e; frame 0 is allocated
    EXPECT_FALSE(f->allocator.reserve(0, 0).is_error());
}

TEST(PhysicalAllocator, DoubleFreeIsDetected)
{
    auto f = make(pc_map());
    auto frame = f->allocator.allocate_frame().value();
    ASSERT_FALSE(f->allocator.free_frame(frame).is_error());
    auto stats = f->allocator.stats();
    auto again = f->allocator.free_frame(frame);
    ASSERT_TRUE(again.is_error());
    EXPECT_EQ(again.error().code(), mm::PhysicalAllocator::DOUBLE_FREE_ERROR);
    EXPECT_EQ(again.error().code(), EFAULT);
    EXPECT_EQ(f->allocator.stats().free, stats.free);

    // A run with one frame already free: refused whole, nothing freed.
    auto run = f->allocator.allocate_contiguous(8).value();
    ASSERT_FALSE(f->allocator.free_frame(run + 5 * PAGE_SIZE).is_error());
    auto before = f->allocator.stats();
    EXPECT_EQ(f->allocator.free_contiguous(run, 8).error().code(), EFAULT);
    EXPECT_EQ(f->allocator.stats().free, before.free);
    EXPECT_FALSE(f->allocator.is_free(run));
}

TEST(PhysicalAllocator, BadFreesAreRejected)
{
    auto f = make(pc_map());
    ASSERT_FALSE(f->allocator.reserve(2 * MiB, PAGE_SIZE).is_error());
    auto frame = f->allocator.allocate_frame().value();
    auto stats = f->allocator.stats();
    EXPECT_EQ(f->allocator.free_frame(frame + 8).error().code(), EINVAL);              // misaligned
    EXPECT_EQ(f->allocator.free_frame(8 * GiB).error().code(), EINVAL);                // past the top
    EXPECT_EQ(f->allocator.free_frame(1 * GiB).error().code(), EINVAL);                // in the hole
    EXPECT_EQ(f->allocator.free_frame(0xf0000).error().code(), EINVAL);                // firmware-reserved
    EXPECT_EQ(f->allocator.free_frame(2 * MiB).error().code(), EINVAL);                // reserved by us
    EXPECT_EQ(f->allocator.free_contiguous(frame, 0).error().code(), EINVAL);          // empty
    EXPECT_EQ(f->allocator.free_contiguous(frame, 1ull << 40).error().code(), EINVAL); // past the end
    EXPECT_EQ(f->allocator.free_contiguous(0x9e000, 4).error().code(), EINVAL);        // runs into a hole
    auto after = f->allocator.stats();
    EXPECT_EQ(after.free, stats.free);
    EXPECT_EQ(after.reserved, stats.reserved);
}

TEST(PhysicalAllocatorMap, UnsortedEqualsSorted)
{
    auto sorted = make(pc_map());
    auto shuffled_map = pc_map();
    std::reverse(shuffled_map.begin(), shuffled_map.end());
    std::swap(shuffled_map[1], shuffled_map[4]);
    auto shuffled = make(shuffled_map);
    EXPECT_EQ(shuffled->allocator.stats().total, sorted->allocator.stats().total);
    EXPECT_EQ(allocate_all(shuffled->allocator), allocate_all(sorted->allocator));
}

TEST(PhysicalAllocatorMap, OverlappingUsableEntriesMerge)
{
    auto f = make({
        { 0x100000, 0x100000, MemoryType::Usable },
        { 0x180000, 0x100000, MemoryType::Usable },
        { 0x100000, 0x40000, MemoryType::Usable },
    });
    EXPECT_EQ(f->allocator.stats().total, 0x180000 / PAGE_SIZE);
}

TEST(PhysicalAllocatorMap, ReservedWinsOverUsable)
{
    // A reserved entry inside a usable one, not page aligned: every frame it touches goes.
    auto f = make({
        { 0x100000, 0x100000, MemoryType::Usable },
        { 0x150800, 0x1000, MemoryType::AcpiNvs },
        { 0x1ff000, 0x10, MemoryType::Bad },
    });
    EXPECT_EQ(f->allocator.stats().total, 256u - 2 - 1);
    EXPECT_EQ(f->allocator.free_frame(0x151000).error().code(), EINVAL)
        << "a frame the firmware keeps is not ours to free";
    for (PhysAddr frame : allocate_all(f->allocator)) {
        EXPECT_NE(frame, 0x150000u);
        EXPECT_NE(frame, 0x151000u);
        EXPECT_NE(frame, 0x1ff000u);
    }
}

TEST(PhysicalAllocatorMap, PartialPagesAreNotUsable)
{
    auto f = make({ { 0x1800, 0x3000, MemoryType::Usable } });
    EXPECT_EQ(f->allocator.stats().total, 2u); // 0x2000 and 0x3000 lie wholly inside
    EXPECT_EQ(f->allocator.allocate_frame().value(), 0x2000u);
    EXPECT_EQ(f->allocator.allocate_frame().value(), 0x3000u);
    EXPECT_TRUE(f->allocator.allocate_frame().is_error());
}

TEST(PhysicalAllocatorMap, HolesAndMemoryAbove4GiB)
{
    auto f = make({ { 0x100000, 0x100000, MemoryType::Usable }, { 6 * GiB, 0x200000, MemoryType::Usable } });
    EXPECT_EQ(f->allocator.stats().total, 256u + 512u);
    EXPECT_EQ(f->allocator.lowest_address(), 0x100000u);
    EXPECT_EQ(f->allocator.highest_address(), 6 * GiB + 0x200000);
    auto frames = allocate_all(f->allocator);
    ASSERT_EQ(frames.size(), 768u);
    for (PhysAddr frame : frames)
        EXPECT_TRUE((frame >= 0x100000 && frame < 0x200000) || (frame >= 6 * GiB && frame < 6 * GiB + 0x200000));
    EXPECT_EQ(frames.back(), 6 * GiB + 0x1ff000);
    auto high = f->allocator.allocate_contiguous(1);
    EXPECT_TRUE(high.is_error());
}

TEST(PhysicalAllocatorMap, ZeroLengthAndAllReserved)
{
    auto zero = make({ { 0x100000, 0, MemoryType::Usable }, { 0x200000, 0x1000, MemoryType::Usable } });
    EXPECT_EQ(zero->allocator.stats().total, 1u);

    std::vector<MemoryRegion> reserved_only
        = { { 0, 0x100000, MemoryType::Reserved }, { 0x100000, 0x100000, MemoryType::AcpiReclaimable } };
    EXPECT_EQ(mm::PhysicalAllocator::bitmap_bytes_needed({ reserved_only.data(), reserved_only.size() }), 0u);
    auto none = make(reserved_only);
    EXPECT_EQ(none->allocator.stats().total, 0u);
    EXPECT_EQ(none->allocator.allocate_frame().error().code(), ENOMEM);
    EXPECT_EQ(none->allocator.allocate_contiguous(1).error().code(), ENOMEM);

    // Usable memory wholly covered by a reserved entry.
    auto covered = make({ { 0x100000, 0x100000, MemoryType::Usable }, { 0x0, 0x400000, MemoryType::Reserved } });
    EXPECT_EQ(covered->allocator.stats().total, 0u);
    EXPECT_EQ(covered->allocator.allocate_frame().error().code(), ENOMEM);
}

TEST(PhysicalAllocatorMap, EntriesNearTheTopOfTheAddressSpace)
{
    // A wrapping or absurd entry must not overflow or blow up the bitmap.
    auto f = make({ { 0x100000, 0x1000, MemoryType::Usable }, { ~u64(0) - 0xfff, 0x1000, MemoryType::Usable },
        { 0x100000, ~u64(0), MemoryType::Reserved } });
    EXPECT_EQ(f->allocator.stats().total, 0u);
}

TEST(PhysicalAllocator, StorageTooSmallIsRejected)
{
    auto map = pc_map();
    usize bytes = mm::PhysicalAllocator::bitmap_bytes_needed({ map.data(), map.size() });
    EXPECT_EQ(bytes % 8, 0u);
    std::vector<u64> storage(bytes / 8);
    mm::PhysicalAllocator allocator;
    EXPECT_EQ(allocator.initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()), bytes - 8 })
                  .error()
                  .code(),
        EINVAL);
    EXPECT_EQ(allocator.initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()) + 4, bytes - 8 })
                  .error()
                  .code(),
        EINVAL);
    EXPECT_FALSE(
        allocator.initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()), bytes }).is_error());
}

TEST(PhysicalAllocator, ConcurrentAllocationsNeverShareAFrame)
{
    auto f = make({ { 0x100000, 4096 * PAGE_SIZE, MemoryType::Usable } });
    std::vector<std::atomic<int>> owner(4096);
    std::atomic<bool> conflict { false };
    auto worker = [&](int id) {
        std::vector<PhysAddr> mine;
        for (int round = 0; round < 200; ++round) {
            for (int i = 0; i < 16; ++i) {
                auto frame = i % 4 == 0 ? f->allocator.allocate_contiguous(2) : f->allocator.allocate_frame();
                if (frame.is_error())
                    continue;
                int count = i % 4 == 0 ? 2 : 1;
                for (int k = 0; k < count; ++k) {
                    int expected = 0;
                    if (!owner[(frame.value() - 0x100000) / PAGE_SIZE + k].compare_exchange_strong(expected, id))
                        conflict = true;
                }
                mine.push_back(frame.value());
                if (count == 2)
                    mine.push_back(frame.value() + PAGE_SIZE);
            }
            for (PhysAddr frame : mine) {
                owner[(frame - 0x100000) / PAGE_SIZE] = 0;
                EXPECT_FALSE(f->allocator.free_frame(frame).is_error());
            }
            mine.clear();
        }
    };
    std::vector<std::thread> threads;
    for (int id = 1; id <= 4; ++id)
        threads.emplace_back(worker, id);
    for (auto& thread : threads)
        thread.join();
    EXPECT_FALSE(conflict.load());
    EXPECT_EQ(f->allocator.stats().free, 4096u);
}
