// The signal tables (kernel/user/Signal.h, kernel/proc/SignalState.h)
// against Linux's signal(7) and asm-generic/signal.h.
#include <gtest/gtest.h>
#include <kernel/proc/SignalState.h>
#include <kernel/user/Signal.h>

namespace {

using user::DefaultAction;

TEST(SignalTable, DefaultActionsFollowSignal7)
{
    for (int terminating :
        { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 24, 25, 26, 27, 29, 30, 31, 34, 64 })
        EXPECT_EQ(user::default_action(terminating), DefaultAction::Terminate) << terminating;
    for (int ignored : { 17, 23, 28 })
        EXPECT_EQ(user::default_action(ignored), DefaultAction::Ignore) << ignored;
    for (int stopping : { 19, 20, 21, 22 })
        EXPECT_EQ(user::default_action(stopping), DefaultAction::Stop) << stopping;
    EXPECT_EQ(user::default_action(18), DefaultAction::Continue);
}

TEST(SignalTable, NamesAndNumbers)
{
    EXPECT_EQ(user::signal_name(user::Signal::Segv), StringView("SIGSEGV"));
    EXPECT_EQ(user::signal_name(user::Signal::Tstp), StringView("SIGTSTP"));
    EXPECT_EQ(user::signal_name(user::Signal::Sys), StringView("SIGSYS"));
    EXPECT_EQ(user::signal_name(static_cast<user::Signal>(40)), StringView("SIGRT"));
    EXPECT_EQ(static_cast<int>(user::Signal::Chld), 17);
    EXPECT_EQ(static_cast<int>(user::Signal::Winch), 28);
}

TEST(SignalTable, MasksAreLinuxSigsets)
{
    EXPECT_EQ(proc::signal_bit(1), 1u);
    EXPECT_EQ(proc::signal_bit(64), u64(1) << 63);
    EXPECT_EQ(proc::UNBLOCKABLE_SIGNALS, (u64(1) << 8) | (u64(1) << 18));
    EXPECT_FALSE(proc::is_valid_signal(0));
    EXPECT_TRUE(proc::is_valid_signal(64));
    EXPECT_FALSE(proc::is_valid_signal(65));
    EXPECT_EQ(sizeof(proc::SignalAction), 32u);
}

} // namespace
