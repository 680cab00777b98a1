// Interrupt registration and dispatch against a fake controller: shared
// chains, unregistering, pool exhaustion, counts, EOI, ISA routing and
// re-routing when the controller changes.
#include <gtest/gtest.h>
#include <kernel/irq/Irq.h>
#include <string>
#include <vector>

namespace {

class FakeController final : public irq::Controller {
public:
    explicit FakeController(const char* name)
        : m_name(name)
    {
    }
    StringView name() const override { return m_name; }
    ErrorOr<void> enable_isa_irq(u8 isa_irq, u8 vector) override
    {
        if (isa_irq == refuse_irq)
            return Error::from_errno(EBUSY);
        enabled.push_back({ isa_irq, vector });
        unmasked |= 1u << isa_irq;
        return {};
    }
    void disable_isa_irq(u8 isa_irq) override
    {
        disabled.push_back(isa_irq);
        unmasked &= ~(1u << isa_irq);
    }
    void end_of_interrupt(u8 vector) override { eois.push_back(vector); }

    const char* m_name;
    std::vector<std::pair<u8, u8>> enabled;
    std::vector<u8> disabled;
    std::vector<u8> eois;
    u32 unmasked { 0 };
    int refuse_irq { -1 };
};

struct Recorder {
    std::vector<std::string>* log;
    std::string tag;
};

void record(void* context)
{
    auto* recorder = static_cast<Recorder*>(context);
    recorder->log->push_back(recorder->tag);
}

void nothing(void*) { }

class IrqTest : public ::testing::Test {
protected:
    void SetUp() override { irq::reset_for_testing(); }
    void TearDown() override { irq::reset_for_testing(); }
};

std::vector<irq::VectorInfo> active_vectors()
{
    std::vector<irq::VectorInfo> out;
    irq::for_each_active_vector(
        [](const irq::VectorInfo& info, void* context) {
            static_cast<std::vector<irq::VectorInfo>*>(context)->push_back(info);
        },
        &out);
    return out;
}

TEST_F(IrqTest, RejectsExceptionVectorsAndNullHandlers)
{
    EXPECT_EQ(irq::register_handler(14, nothing, nullptr, "pf").error().code(), EINVAL);
    EXPECT_EQ(irq::register_handler(31, nothing, nullptr, "x").error().code(), EINVAL);
    EXPECT_EQ(irq::register_handler(64, nullptr, nullptr, "x").error().code(), EINVAL);
    EXPECT_TRUE(active_vectors().empty());
}

TEST_F(IrqTest, SharedHandlersRunInOrderAndEoiFollows)
{
    FakeController controller("fake");
    irq::set_controller(controller);
    std::vector<std::string> log;
    Recorder a { &log, "a" }, b { &log, "b" }, c { &log, "c" };
    ASSERT_FALSE(irq::register_handler(80, record, &a, "disk").is_error());
    ASSERT_FALSE(irq::register_handler(80, record, &b, "net").is_error());
    ASSERT_FALSE(irq::register_handler(81, record, &c, "other").is_error());
    EXPECT_EQ(irq::register_handler(80, record, &a, "again").error().code(), EEXIST);

    irq::dispatch(80);
    EXPECT_EQ(log, (std::vector<std::string> { "a", "b" }));
    EXPECT_EQ(controller.eois, (std::vector<u8> { 80 }));
    EXPECT_EQ(irq::count(80), 1u);
    EXPECT_EQ(irq::count(81), 0u);

    ASSERT_FALSE(irq::unregister_handler(80, record, &a).is_error());
    EXPECT_EQ(irq::unregister_handler(80, record, &a).error().code(), ENOENT);
    log.clear();
    irq::dispatch(80);
    irq::dispatch(80);
    EXPECT_EQ(log, (std::vector<std::string> { "b", "b" }));
    EXPECT_EQ(irq::count(80), 3u);
}

TEST_F(IrqTest, SpuriousVectorIsCountedButNotAcknowledged)
{
    FakeController controller("fake");
    irq::set_controller(controller);
    irq::dispatch(irq::SPURIOUS_VECTOR);
    irq::dispatch(200); // no handler: counted, acknowledged
    EXPECT_EQ(irq::count(irq::SPURIOUS_VECTOR), 1u);
    EXPECT_EQ(irq::count(200), 1u);
    EXPECT_EQ(controller.eois, (std::vector<u8> { 200 }));
}

TEST_F(IrqTest, PoolExhaustionGivesEnospcAndFreedSlotsAreReused)
{
    static int contexts[irq::MAX_HANDLERS + 1];
    for (usize i = 0; i < irq::MAX_HANDLERS; ++i)
        ASSERT_FALSE(irq::register_handler(100, nothing, &contexts[i], "h").is_error()) << i;
    EXPECT_EQ(irq::register_handler(101, nothing, &contexts[irq::MAX_HANDLERS], "h").error().code(), ENOSPC);
    // A refused duplicate must give back the slot it was about to use.
    ASSERT_FALSE(irq::unregister_handler(100, nothing, &contexts[7]).is_error());
    EXPECT_EQ(irq::register_handler(100, nothing, &contexts[8], "dup").error().code(), EEXIST);
    EXPECT_FALSE(irq::register_handler(101, nothing, &contexts[irq::MAX_HANDLERS], "h").is_error());
    EXPECT_EQ(irq::register_handler(102, nothing, &contexts[7], "h").error().code(), ENOSPC);
}

TEST_F(IrqTest, IsaRegistrationRoutesOnceAndMasksWhenLastHandlerGoes)
{
    FakeController controller("fake");
    EXPECT_EQ(irq::register_isa_handler(4, nothing, nullptr, "com1").error().code(), ENODEV);
    irq::set_controller(controller);
    EXPECT_EQ(irq::register_isa_handler(16, nothing, nullptr, "bad").error().code(), EINVAL);

    int first = 0, second = 0;
    ASSERT_FALSE(irq::register_isa_handler(4, nothing, &first, "com1").is_error());
    ASSERT_FALSE(irq::register_isa_handler(4, nothing, &second, "com1b").is_error());
    ASSERT_EQ(controller.enabled.size(), 1u);
    EXPECT_EQ(controller.enabled[0], (std::pair<u8, u8> { 4, irq::ISA_VECTOR_BASE + 4 }));

    ASSERT_FALSE(irq::unregister_isa_handler(4, nothing, &first).is_error());
    EXPECT_TRUE(controller.disabled.empty());
    ASSERT_FALSE(irq::unregister_isa_handler(4, nothing, &second).is_error());
    EXPECT_EQ(controller.disabled, (std::vector<u8> { 4 }));
    EXPECT_EQ(controller.unmasked, 0u);

    // Registering again routes again.
    ASSERT_FALSE(irq::register_isa_handler(4, nothing, &first, "com1").is_error());
    EXPECT_EQ(controller.enabled.size(), 2u);
}

TEST_F(IrqTest, ControllerFailureLeavesNothingRegistered)
{
    FakeController controller("fake");
    controller.refuse_irq = 3;
    irq::set_controller(controller);
    EXPECT_EQ(irq::register_isa_handler(3, nothing, nullptr, "com2").error().code(), EBUSY);
    EXPECT_TRUE(active_vectors().empty());
}

TEST_F(IrqTest, SwitchingControllersReroutesIsaIrqs)
{
    FakeController pic("pic"), apic("apic");
    irq::set_controller(pic);
    std::vector<std::string> log;
    Recorder serial { &log, "serial" }, keyboard { &log, "keyboard" };
    ASSERT_FALSE(irq::register_isa_handler(4, record, &serial, "com1").is_error());
    ASSERT_FALSE(irq::register_isa_handler(1, record, &keyboard, "kbd").is_error());

    irq::set_controller(apic);
    EXPECT_EQ(irq::controller(), &apic);
    EXPECT_EQ(pic.unmasked, 0u);
    EXPECT_EQ(apic.unmasked, (1u << 1) | (1u << 4));
    // Each re-routed device's handler ran once to catch a lost edge.
    EXPECT_EQ(log, (std::vector<std::string> { "keyboard", "serial" }));
    EXPECT_TRUE(apic.eois.empty());

    irq::dispatch(irq::ISA_VECTOR_BASE + 4);
    EXPECT_TRUE(pic.eois.empty());
    EXPECT_EQ(apic.eois, (std::vector<u8> { irq::ISA_VECTOR_BASE + 4 }));
}

TEST_F(IrqTest, SwitchDropsIrqsTheNewControllerRefuses)
{
    FakeController pic("pic"), apic("apic");
    irq::set_controller(pic);
    ASSERT_FALSE(irq::register_isa_handler(7, nothing, nullptr, "lpt").is_error());
    apic.refuse_irq = 7;
    irq::set_controller(apic);
    EXPECT_EQ(apic.unmasked, 0u);
    // It is no longer considered routed: a new registration tries again.
    apic.refuse_irq = -1;
    int other = 0;
    ASSERT_FALSE(irq::register_isa_handler(7, nothing, &other, "lpt2").is_error());
    EXPECT_EQ(apic.unmasked, 1u << 7);
}

TEST_F(IrqTest, ActiveVectorsListNamesAndCounts)
{
    FakeController controller("fake");
    irq::set_controller(controller);
    int x = 0, y = 0;
    ASSERT_FALSE(irq::register_handler(0xf0, nothing, nullptr, "timer").is_error());
    ASSERT_FALSE(irq::register_handler(50, nothing, &x, "a-very-long-handler-name-indeed").is_error());
    ASSERT_FALSE(irq::register_handler(50, nothing, &y, "second").is_error());
    irq::dispatch(0xf0);
    irq::dispatch(0xf0);
    irq::dispatch(77);

    auto vectors = active_vectors();
    ASSERT_EQ(vectors.size(), 3u);
    EXPECT_EQ(vectors[0].vector, 50);
    EXPECT_EQ(vectors[0].handler_count, 2u);
    EXPECT_EQ(std::string(vectors[0].names), "a-very-long-handler-nam,second");
    EXPECT_EQ(vectors[1].vector, 77);
    EXPECT_EQ(vectors[1].count, 1u);
    EXPECT_EQ(std::string(vectors[1].names), "");
    EXPECT_EQ(vectors[2].vector, 0xf0);
    EXPECT_EQ(vectors[2].count, 2u);
    EXPECT_EQ(std::string(vectors[2].names), "timer");
}

} // namespace
