// The machine-wide frame functions of kernel/mm/PhysicalMemory.h, set up on a
// simulated memory map: they forward to one allocator and log bad frees.
#include <gtest/gtest.h>
#include <kernel/log/Log.h>
#include <kernel/mm/PhysicalMemory.h>
#include <string>
#include <vector>

namespace {

struct GlobalAllocator {
    GlobalAllocator()
    {
        map = { { 0x100000, 1024 * PAGE_SIZE, boot::MemoryType::Usable } };
        usize bytes = mm::PhysicalAllocator::bitmap_bytes_needed({ map.data(), map.size() });
        storage.resize(bytes / sizeof(u64));
        EXPECT_FALSE(mm::physical_allocator()
                         .initialize({ map.data(), map.size() }, { reinterpret_cast<u8*>(storage.data()), bytes })
                         .is_error());
    }
    std::vector<boot::MemoryRegion> map;
    std::vector<u64> storage;
};

std::vector<std::string> log_lines()
{
    std::vector<std::string> lines;
    klog::for_each_record(
        [&](const klog::Record& record) { lines.emplace_back(record.text.characters(), record.text.length()); });
    return lines;
}

bool log_contains(const std::string& needle)
{
    for (const auto& line : log_lines()) {
        if (line.find(needle) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

TEST(PhysicalMemory, GlobalFunctionsShareOneAllocator)
{
    GlobalAllocator setup;
    auto frame = mm::allocate_frame();
    ASSERT_FALSE(frame.is_error());
    EXPECT_EQ(frame.value(), 0x100000u);
    EXPECT_FALSE(mm::is_frame_free(frame.value()));
    auto run = mm::allocate_frames(8);
    ASSERT_FALSE(run.is_error());
    EXPECT_EQ(run.value(), 0x101000u);
    auto aligned = mm::allocate_frames_aligned(4, 16);
    ASSERT_FALSE(aligned.is_error());
    EXPECT_EQ(aligned.value() % (16 * PAGE_SIZE), 0u);
    ASSERT_FALSE(mm::reserve_frames(0x200000, 2 * PAGE_SIZE).is_error());

    mm::FrameStats stats = mm::frame_stats();
    EXPECT_EQ(stats.total, 1024u);
    EXPECT_EQ(stats.used, 1u + 8 + 4 + 2);
    EXPECT_EQ(stats.reserved, 2u);
    EXPECT_EQ(stats.free + stats.used, stats.total);

    ASSERT_FALSE(mm::free_frame(frame.value()).is_error());
    ASSERT_FALSE(mm::free_frames(run.value(), 8).is_error());
    ASSERT_FALSE(mm::free_frames(aligned.value(), 4).is_error());
    EXPECT_EQ(mm::frame_stats().used, 2u);
}

TEST(PhysicalMemory, BadFreesAreLoggedWithTheCaller)
{
    GlobalAllocator setup;
    klog::reset_for_testing();
    auto frame = mm::allocate_frame().value();
    ASSERT_FALSE(mm::free_frame(frame).is_error());
    EXPECT_EQ(mm::free_frame(frame).error().code(), EFAULT);
    EXPECT_TRUE(log_contains("double free of 1 frame(s) at 0x100000 from 0x")) << "log lacks the double free";
    EXPECT_EQ(mm::free_frames(0x100800, 2).error().code(), EINVAL);
    EXPECT_TRUE(log_contains("bad free of 2 frame(s) at 0x100800")) << "log lacks the bad free";
}
