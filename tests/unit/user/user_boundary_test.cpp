// The pure parts of the user boundary: the user-range check of the copy
// functions (overflow included), what UserPtr allows, the SYSRET guard of the
// system-call return path, and the signal for each user-mode exception.
#include <gtest/gtest.h>
#include <kernel/arch/x86_64/SyscallReturn.h>
#include <kernel/user/Fault.h>
#include <kernel/user/UserPtr.h>

using user::is_user_range;
using user::UserPtr;

namespace {

constexpr u64 END = mm::USER_END;

// A frame exactly as the SYSCALL entry builds it for a call from `rip`.
constexpr x86::InterruptFrame syscall_frame(u64 rip)
{
    x86::InterruptFrame frame {};
    frame.rip = rip;
    frame.rcx = rip;
    frame.rflags = 0x246;
    frame.r11 = 0x246;
    frame.cs = X86_USER_CODE_SELECTOR;
    frame.ss = X86_USER_DATA_SELECTOR;
    frame.rsp = 0x7ff000000000 - 64;
    frame.vector = X86_SYSCALL_FRAME_VECTOR;
    return frame;
}

template<typename T>
concept Dereferenceable = requires(T pointer)
{
    *pointer;
};
template<typename T>
concept HasArrow = requires(T pointer)
{
    pointer.operator->();
};
template<typename From, typename To>
concept ConvertsTo = requires(From from, void (*sink)(To))
{
    sink(from);
};

} // namespace

TEST(UserBoundary, UserRangeCheckCannotOverflow)
{
    EXPECT_TRUE(is_user_range(0, 0));
    EXPECT_TRUE(is_user_range(0x400000, 4096));
    EXPECT_TRUE(is_user_range(END - 1, 1));
    EXPECT_TRUE(is_user_range(END, 0));
    EXPECT_TRUE(is_user_range(0, END));
    EXPECT_FALSE(is_user_range(0, END + 1));
    EXPECT_FALSE(is_user_range(END - 1, 2));
    EXPECT_FALSE(is_user_range(END, 1));
    EXPECT_FALSE(is_user_range(0xffffffff80000000, 16));
    EXPECT_FALSE(is_user_range(0xffff800000000000, 0));
    // address + size wraps to a small number: a naive check would pass it.
    EXPECT_FALSE(is_user_range(0x1000, ~u64(0) - 0x800));
    EXPECT_FALSE(is_user_range(~u64(0) - 15, 32));
    EXPECT_FALSE(is_user_range(0x7fff00000000, ~u64(0)));
}

TEST(UserBoundary, UserPtrCannotBeDereferenced)
{
    static_assert(!Dereferenceable<UserPtr<int>>);
    static_assert(!HasArrow<UserPtr<int>>);
    static_assert(!ConvertsTo<UserPtr<int>, int*>);
    static_assert(!ConvertsTo<UserPtr<int>, VirtAddr>);
    // Widening conversions only.
    static_assert(ConvertsTo<UserPtr<int>, UserPtr<const int>>);
    static_assert(ConvertsTo<UserPtr<int>, UserPtr<void>>);
    static_assert(ConvertsTo<UserPtr<const int>, UserPtr<const void>>);
    static_assert(!ConvertsTo<UserPtr<const int>, UserPtr<int>>);
    static_assert(!ConvertsTo<UserPtr<void>, UserPtr<int>>);
    static_assert(!ConvertsTo<UserPtr<const void>, UserPtr<void>>);
    UserPtr<int> pointer(0x1000);
    EXPECT_EQ(pointer.address(), 0x1000u);
    EXPECT_EQ(pointer.offset(8).address(), 0x1008u);
    EXPECT_FALSE(pointer.is_null());
    EXPECT_TRUE(UserPtr<int>().is_null());
}

TEST(UserBoundary, SysretOnlyForAnUntouchedCanonicalFrame)
{
    EXPECT_TRUE(x86::can_return_with_sysret(syscall_frame(0x401000)));
    EXPECT_TRUE(x86::can_return_with_sysret(syscall_frame(END - 1)));

    // The CVE-2012-0217 case: `syscall` in the last two bytes of the lower
    // half leaves RCX = 2^47, which SYSRET must never load.
    EXPECT_FALSE(x86::can_return_with_sysret(syscall_frame(END)));
    EXPECT_FALSE(x86::can_return_with_sysret(syscall_frame(0xffff800000000000)));
    EXPECT_FALSE(x86::can_return_with_sysret(syscall_frame(0x0000800000001000)));

    auto frame = syscall_frame(0x401000);
    frame.rip = 0x402000; // changed by the kernel (exec, signal): RCX no longer matches
    EXPECT_FALSE(x86::can_return_with_sysret(frame));
    frame = syscall_frame(0x401000);
    frame.r11 = 0x202;
    EXPECT_FALSE(x86::can_return_with_sysret(frame));
    frame = syscall_frame(0x401000);
    frame.rflags = frame.r11 = 0x346; // TF: SYSRET would trap on the first instruction
    EXPECT_FALSE(x86::can_return_with_sysret(frame));
    frame = syscall_frame(0x401000);
    frame.rflags = frame.r11 = 0x10246; // RF
    EXPECT_FALSE(x86::can_return_with_sysret(frame));
    frame = syscall_frame(0x401000);
    frame.cs = 0x08;
    EXPECT_FALSE(x86::can_return_with_sysret(frame));
    frame = syscall_frame(0x401000);
    frame.ss = 0x10;
    EXPECT_FALSE(x86::can_return_with_sysret(frame));

    EXPECT_TRUE(x86::is_user_address(0));
    EXPECT_TRUE(x86::is_user_address(END - 1));
    EXPECT_FALSE(x86::is_user_address(END));
}

TEST(UserBoundary, UserExceptionsMapToLinuxSignals)
{
    using user::Signal;
    EXPECT_EQ(user::signal_for_exception(14), Signal::Segv); // #PF
    EXPECT_EQ(user::signal_for_exception(13), Signal::Segv); // #GP
    EXPECT_EQ(user::signal_for_exception(12), Signal::Segv); // #SS
    EXPECT_EQ(user::signal_for_exception(6), Signal::Ill);   // #UD
    EXPECT_EQ(user::signal_for_exception(0), Signal::Fpe);   // #DE
    EXPECT_EQ(user::signal_for_exception(16), Signal::Fpe);  // #MF
    EXPECT_EQ(user::signal_for_exception(19), Signal::Fpe);  // #XM
    EXPECT_EQ(user::signal_for_exception(3), Signal::Trap);  // #BP
    EXPECT_EQ(user::signal_for_exception(1), Signal::Trap);  // #DB
    EXPECT_EQ(user::signal_for_exception(17), Signal::Bus);  // #AC
    EXPECT_EQ(user::signal_name(Signal::Segv), StringView("SIGSEGV"));
    EXPECT_EQ(user::signal_name(Signal::Ill), StringView("SIGILL"));
    // The machine's exceptions are never the program's fault.
    EXPECT_FALSE(user::is_program_fault(2));  // NMI
    EXPECT_FALSE(user::is_program_fault(8));  // #DF
    EXPECT_FALSE(user::is_program_fault(18)); // #MC
    EXPECT_FALSE(user::is_program_fault(32)); // an interrupt
    EXPECT_TRUE(user::is_program_fault(14));
    EXPECT_TRUE(user::is_program_fault(0));
}
