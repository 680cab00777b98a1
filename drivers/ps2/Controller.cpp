// 8042 controller commands, from the IBM PS/2 Hardware Interface Technical
// Reference, "Keyboard and Auxiliary Device Controller": a command goes to
// port 0x64 once the input buffer is empty; its parameter, if any, follows at
// port 0x60; its reply, if any, is read from port 0x60 once the output buffer
// is full. Each wait polls the status register at most SPIN_LIMIT times.
#include <drivers/ps2/Controller.h>
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/Io.h>

namespace ps2 {

namespace {

constexpr u16 DATA_PORT = 0x60;
constexpr u16 COMMAND_PORT = 0x64; // status when read

// About a second of polling on real hardware; a keyboard reset (BAT) takes
// up to 500 ms there, QEMU answers at once.
constexpr u32 SPIN_LIMIT = 1000000;
constexpr u32 FLUSH_LIMIT = 64; // a controller FIFO holds far fewer bytes

enum class Command : u8 {
    ReadConfig = 0x20,
    WriteConfig = 0x60,
    DisablePort2 = 0xa7,
    SelfTest = 0xaa,
    TestPort1 = 0xab,
    DisablePort1 = 0xad,
    EnablePort1 = 0xae,
    PulseReset = 0xfe, // pulse output line 0 (CPU reset) low
};

// The configuration byte as last written; kept so that changing one bit
// later needs no read-back, whose reply could be mistaken for a key.
u8 s_config = 0;

constexpr u8 SELF_TEST_PASSED = 0x55;
constexpr u8 PORT_TEST_PASSED = 0x00;

ErrorOr<void> wait_input_empty()
{
    for (u32 spins = 0; spins < SPIN_LIMIT; ++spins) {
        if (!has(read_status(), Status::InputFull))
            return {};
        arch::cpu_relax();
    }
    return Error::from_errno(ETIMEDOUT);
}

ErrorOr<void> write_command(Command command)
{
    TRY(wait_input_empty());
    x86::outb(COMMAND_PORT, static_cast<u8>(command));
    return {};
}

ErrorOr<void> write_data(u8 byte)
{
    TRY(wait_input_empty());
    x86::outb(DATA_PORT, byte);
    return {};
}

void flush_output()
{
    for (u32 i = 0; i < FLUSH_LIMIT && has(read_status(), Status::OutputFull); ++i)
        (void)x86::inb(DATA_PORT);
}

ErrorOr<u8> read_config()
{
    TRY(write_command(Command::ReadConfig));
    return read_data();
}

ErrorOr<void> write_config(u8 config)
{
    s_config = config;
    TRY(write_command(Command::WriteConfig));
    return write_data(config);
}

constexpr u8 bit(Config c)
{
    return static_cast<u8>(c);
}

} // namespace

u8 read_status()
{
    return x86::inb(COMMAND_PORT);
}

bool has(u8 status, Status bit)
{
    return status & static_cast<u8>(bit);
}

ErrorOr<u8> read_data()
{
    for (u32 spins = 0; spins < SPIN_LIMIT; ++spins) {
        if (has(read_status(), Status::OutputFull))
            return x86::inb(DATA_PORT);
        arch::cpu_relax();
    }
    return Error::from_errno(ETIMEDOUT);
}

u8 read_data_now()
{
    return x86::inb(DATA_PORT);
}

ErrorOr<void> initialize_controller()
{
    // With no controller the ISA bus floats high: every status bit reads 1.
    if (read_status() == 0xff)
        return Error::from_errno(ENODEV);

    TRY(write_command(Command::DisablePort1));
    TRY(write_command(Command::DisablePort2));
    flush_output();

    // Interrupts off and port 1's clock stopped while testing; keep the
    // set 2 to set 1 translation on (the decoder speaks set 1).
    u8 config = TRY(read_config());
    config &= ~(bit(Config::Port1Interrupt) | bit(Config::Port2Interrupt));
    config |= bit(Config::Port1Translation) | bit(Config::Port1ClockDisabled);
    TRY(write_config(config));

    TRY(write_command(Command::SelfTest));
    if (TRY(read_data()) != SELF_TEST_PASSED)
        return Error::from_errno(ENODEV);
    // Some controllers reset themselves during the self-test.
    TRY(write_config(config));

    TRY(write_command(Command::TestPort1));
    if (TRY(read_data()) != PORT_TEST_PASSED)
        return Error::from_errno(ENODEV);

    config &= ~bit(Config::Port1ClockDisabled);
    TRY(write_config(config));
    TRY(write_command(Command::EnablePort1));
    flush_output();
    return {};
}

ErrorOr<u8> send_to_port1(u8 byte)
{
    TRY(write_data(byte));
    return read_data();
}

ErrorOr<void> set_port1_interrupt(Interrupt state)
{
    u8 config = s_config;
    if (state == Interrupt::Enabled)
        config |= bit(Config::Port1Interrupt);
    else
        config &= ~bit(Config::Port1Interrupt);
    return write_config(config);
}

void pulse_reset_line()
{
    if (write_command(Command::PulseReset).is_error())
        return;
    // The reset takes effect within microseconds; give it time before the
    // caller falls back to another method.
    for (u32 i = 0; i < 100000; ++i)
        x86::io_wait();
}

} // namespace ps2
