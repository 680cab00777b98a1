#include <gtest/gtest.h>
#include <kernel/core/FaultDecode.h>
#include <string>

namespace {

std::string error_text(u64 vector, u64 code)
{
    char buffer[256];
    lib::BufferSink sink(buffer, sizeof(buffer));
    fault::describe_error_code(sink, vector, code);
    return std::string(sink.view().characters(), sink.view().length());
}

std::string rflags_text(u64 rflags)
{
    char buffer[256];
    lib::BufferSink sink(buffer, sizeof(buffer));
    fault::describe_rflags(sink, rflags);
    return std::string(sink.view().characters(), sink.view().length());
}

std::string name(u64 vector)
{
    StringView view = fault::exception_name(vector);
    return std::string(view.characters(), view.length());
}

TEST(FaultDecode, Names)
{
    EXPECT_EQ(name(0), "Divide Error (#DE)");
    EXPECT_EQ(name(2), "Non-Maskable Interrupt (NMI)");
    EXPECT_EQ(name(8), "Double Fault (#DF)");
    EXPECT_EQ(name(13), "General Protection Fault (#GP)");
    EXPECT_EQ(name(14), "Page Fault (#PF)");
    EXPECT_EQ(name(18), "Machine Check (#MC)");
    EXPECT_EQ(name(21), "Control Protection Exception (#CP)");
    EXPECT_EQ(name(15), "Reserved Exception (vector 15)");
    EXPECT_EQ(name(31), "Reserved Exception (vector 31)");
    EXPECT_EQ(name(32), "External Interrupt");
    // Every architectural vector has a distinct name.
    for (u64 a = 0; a < fault::EXCEPTION_COUNT; ++a) {
        EXPECT_FALSE(name(a).empty());
        for (u64 b = a + 1; b < fault::EXCEPTION_COUNT; ++b)
            EXPECT_NE(name(a), name(b)) << a << " " << b;
    }
}

TEST(FaultDecode, ErrorCodeVectorsMatchTheStubs)
{
    // The vectors InterruptStubs.S treats as CPU-pushed (SDM vol. 3A, 6.15).
    const u64 with_code[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
    for (u64 vector = 0; vector < 64; ++vector) {
        bool expected = false;
        for (u64 v : with_code)
            expected |= v == vector;
        EXPECT_EQ(fault::has_error_code(vector), expected) << vector;
    }
}

TEST(FaultDecode, PageFaultBits)
{
    EXPECT_EQ(error_text(14, 0), "not-present page, read, supervisor mode");
    EXPECT_EQ(error_text(14, 0x3), "protection violation, write, supervisor mode");
    EXPECT_EQ(error_text(14, 0x15), "protection violation, read, user mode, instruction fetch");
    EXPECT_EQ(error_text(14, 0x9), "protection violation, read, supervisor mode, reserved bit set in a paging entry");
    EXPECT_EQ(error_text(14, 0x20 | 0x40), "not-present page, read, supervisor mode, protection key, shadow stack");
    EXPECT_EQ(error_text(14, 0x8000), "not-present page, read, supervisor mode, SGX");
}

TEST(FaultDecode, SelectorErrorCodes)
{
    EXPECT_EQ(error_text(13, 0), "no selector (not segment-related)");
    EXPECT_EQ(error_text(13, 0x38), "GDT index 7, selector 0x38");
    EXPECT_EQ(error_text(11, 0x2c), "LDT index 5, selector 0x2c");
    EXPECT_EQ(error_text(13, (13 << 3) | 2), "IDT vector 13");
    EXPECT_EQ(error_text(10, 0x29), "GDT index 5, selector 0x28, external event");
    EXPECT_EQ(error_text(12, 0x13), "IDT vector 2, external event");
}

TEST(FaultDecode, OtherKinds)
{
    EXPECT_EQ(error_text(8, 0), "zero");
    EXPECT_EQ(error_text(17, 0), "zero");
    EXPECT_EQ(error_text(8, 4), "unexpectedly non-zero");
    EXPECT_EQ(error_text(21, 3), "missing ENDBRANCH");
    EXPECT_EQ(error_text(21, 0x8001), "near return address mismatch, in an enclave");
    EXPECT_EQ(error_text(21, 9), "unknown kind 9");
    EXPECT_EQ(error_text(29, 0x7b), "0x7b");
    EXPECT_EQ(error_text(0, 0), "none");
}

TEST(FaultDecode, Rflags)
{
    EXPECT_EQ(rflags_text(0x2), "");
    EXPECT_EQ(rflags_text(0x10246), "PF ZF IF RF");
    EXPECT_EQ(rflags_text(0x3002 | 0x1 | 0x800), "CF OF IOPL=3");
    EXPECT_EQ(rflags_text(0x200000 | 0x40000 | 0x400), "DF AC ID");
}

} // namespace
