// 8259A programming (Intel 8259A datasheet: ICW1-ICW4, OCW1 mask, OCW2 EOI).
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Pic.h>

namespace x86 {

namespace {

constexpr u16 MASTER_COMMAND = 0x20;
constexpr u16 MASTER_DATA = 0x21;
constexpr u16 SLAVE_COMMAND = 0xa0;
constexpr u16 SLAVE_DATA = 0xa1;
constexpr u8 ICW1_INIT_WITH_ICW4 = 0x11;
constexpr u8 ICW4_8086 = 0x01;
constexpr u8 OCW2_EOI = 0x20;
constexpr u8 CASCADE_IRQ = 2;

u16 s_mask = 0xffff;

void write_mask()
{
    outb(MASTER_DATA, static_cast<u8>(s_mask));
    outb(SLAVE_DATA, static_cast<u8>(s_mask >> 8));
}

class PicController final : public irq::Controller {
public:
    StringView name() const override { return "8259 PIC"; }

    ErrorOr<void> enable_isa_irq(u8 isa_irq, u8 vector) override
    {
        if (isa_irq >= 16 || vector != irq::ISA_VECTOR_BASE + isa_irq)
            return Error::from_errno(EINVAL);
        s_mask &= ~(1u << isa_irq);
        if (isa_irq >= 8)
            s_mask &= ~(1u << CASCADE_IRQ);
        write_mask();
        return {};
    }

    void disable_isa_irq(u8 isa_irq) override
    {
        s_mask |= 1u << isa_irq;
        write_mask();
    }

    void end_of_interrupt(u8 vector) override
    {
        u8 isa_irq = vector - irq::ISA_VECTOR_BASE;
        if (isa_irq >= 16)
            return;
        if (isa_irq >= 8)
            outb(SLAVE_COMMAND, OCW2_EOI);
        outb(MASTER_COMMAND, OCW2_EOI);
    }
};

constinit PicController s_controller;

} // namespace

void pic_remap_and_mask()
{
    outb(MASTER_COMMAND, ICW1_INIT_WITH_ICW4);
    io_wait();
    outb(SLAVE_COMMAND, ICW1_INIT_WITH_ICW4);
    io_wait();
    outb(MASTER_DATA, irq::ISA_VECTOR_BASE); // ICW2: vector offsets
    io_wait();
    outb(SLAVE_DATA, irq::ISA_VECTOR_BASE + 8);
    io_wait();
    outb(MASTER_DATA, 1 << CASCADE_IRQ); // ICW3: slave on IRQ 2
    io_wait();
    outb(SLAVE_DATA, CASCADE_IRQ);
    io_wait();
    outb(MASTER_DATA, ICW4_8086);
    io_wait();
    outb(SLAVE_DATA, ICW4_8086);
    io_wait();
    s_mask = 0xffff;
    write_mask();
}

irq::Controller& pic_controller()
{
    return s_controller;
}

} // namespace x86
