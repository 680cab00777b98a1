// The interrupt exit hook the scheduler preempts from (kernel/irq/Irq.h):
// it runs after the handlers and after the EOI, for every vector, and not
// at all once removed.
#include <gtest/gtest.h>
#include <kernel/irq/Irq.h>
#include <string>
#include <vector>

namespace {

std::vector<std::string> g_events;

class RecordingController final : public irq::Controller {
public:
    StringView name() const override { return "recording"; }
    ErrorOr<void> enable_isa_irq(u8, u8) override { return {}; }
    void disable_isa_irq(u8) override { }
    void end_of_interrupt(u8 vector) override { g_events.push_back("eoi " + std::to_string(vector)); }
};

void handler(void*)
{
    g_events.push_back("handler");
}

void hook()
{
    g_events.push_back("hook");
}

class IrqExitHookTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        irq::reset_for_testing();
        g_events.clear();
    }
    void TearDown() override { irq::reset_for_testing(); }
};

TEST_F(IrqExitHookTest, RunsAfterHandlersAndEoi)
{
    RecordingController controller;
    irq::set_controller(controller);
    ASSERT_FALSE(irq::register_handler(0xf0, handler, nullptr, "timer").is_error());
    irq::set_exit_hook(hook);
    irq::dispatch(0xf0);
    EXPECT_EQ(g_events, (std::vector<std::string> { "handler", "eoi 240", "hook" }));
}

TEST_F(IrqExitHookTest, RunsForTheSpuriousVectorWithoutEoi)
{
    RecordingController controller;
    irq::set_controller(controller);
    irq::set_exit_hook(hook);
    irq::dispatch(irq::SPURIOUS_VECTOR);
    EXPECT_EQ(g_events, (std::vector<std::string> { "hook" }));
}

TEST_F(IrqExitHookTest, RemovedHookIsNotCalled)
{
    RecordingController controller;
    irq::set_controller(controller);
    irq::set_exit_hook(hook);
    irq::set_exit_hook(nullptr);
    irq::dispatch(0x40);
    EXPECT_EQ(g_events, (std::vector<std::string> { "eoi 64" }));
}

TEST_F(IrqExitHookTest, ResetForTestingRemovesIt)
{
    irq::set_exit_hook(hook);
    irq::reset_for_testing();
    irq::dispatch(0x40);
    EXPECT_TRUE(g_events.empty());
}

} // namespace
