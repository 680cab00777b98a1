// 16550 UART driver for COM1, polled transmit and polled or interrupt receive.
// Registers are offsets from the base port (PC16550D datasheet, table 2).
#include <drivers/serial/Uart16550.h>
#include <kernel/arch/x86_64/Io.h>

namespace serial {

namespace {

constexpr u16 COM1 = 0x3f8;

enum class Reg : u16 {
    Data = 0,            // RBR/THR, or divisor low with DLAB
    InterruptEnable = 1, // IER, or divisor high with DLAB
    FifoControl = 2,     // FCR
    LineControl = 3,     // LCR
    ModemControl = 4,    // MCR
    LineStatus = 5,      // LSR
};

constexpr u8 LSR_DATA_READY = 0x01;
constexpr u8 LSR_TX_EMPTY = 0x20;

bool s_present = false;

void out(Reg reg, u8 value)
{
    x86::outb(COM1 + static_cast<u16>(reg), value);
}

u8 in(Reg reg)
{
    return x86::inb(COM1 + static_cast<u16>(reg));
}

} // namespace

bool init()
{
    out(Reg::InterruptEnable, 0x00);
    out(Reg::LineControl, 0x80); // DLAB on: the next two writes set the divisor
    out(Reg::Data, 0x01);        // 115200 / 1
    out(Reg::InterruptEnable, 0x00);
    out(Reg::LineControl, 0x03);  // 8 data bits, no parity, one stop bit
    out(Reg::FifoControl, 0xc7);  // enable and clear FIFOs, 14-byte threshold
    out(Reg::ModemControl, 0x1e); // loopback mode for the self-test
    out(Reg::Data, 0xae);
    if (in(Reg::Data) != 0xae)
        return false;
    out(Reg::ModemControl, 0x0f); // normal operation, OUT2 gates the IRQ line
    s_present = true;
    return true;
}

void put_char(char c)
{
    if (!s_present)
        return;
    for (int spins = 0; !(in(Reg::LineStatus)&LSR_TX_EMPTY) && spins < 100000; ++spins)
        asm volatile("pause");
    out(Reg::Data, static_cast<u8>(c));
}

// Kernel text ends lines with a bare '\n', which a serial terminal needs as
// "\r\n"; the tty's output processing (ONLCR) already sends "\r\n", which
// must not become "\r\r\n". Callers hold the console output lock.
void write(StringView text)
{
    static char s_previous = 0;
    for (char c : text) {
        if (c == '\n' && s_previous != '\r')
            put_char('\r');
        put_char(c);
        s_previous = c;
    }
}

int try_read()
{
    if (!s_present || !(in(Reg::LineStatus)&LSR_DATA_READY))
        return -1;
    return in(Reg::Data);
}

void enable_receive_interrupt()
{
    if (s_present)
        out(Reg::InterruptEnable, 0x01);
}

} // namespace serial
