// 8254 PIT programming (Intel 8254 datasheet: control word format, counter
// latch command, mode 0 "interrupt on terminal count", mode 2 "rate
// generator"). Channel 2's gate is wired to port 0x61 bit 0 on every PC (the
// speaker port); bit 1 (speaker data) is kept off so nothing sounds. In mode
// 0 the counter keeps counting down past zero, wrapping at 16 bits.
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Pit.h>
#include <kernel/irq/Irq.h>
#include <kernel/time/Clock.h>

namespace x86 {

namespace {

constexpr u16 CHANNEL0_DATA = 0x40;
constexpr u16 CHANNEL2_DATA = 0x42;
constexpr u16 COMMAND = 0x43;
constexpr u16 SPEAKER_PORT = 0x61;

constexpr u8 SPEAKER_GATE2 = 1 << 0;
constexpr u8 SPEAKER_DATA = 1 << 1;

// Control words: channel (bits 7:6), access lobyte/hibyte (11b in 5:4), mode (3:1), binary.
constexpr u8 CHANNEL0_RATE_GENERATOR = 0b00'11'010'0;
constexpr u8 CHANNEL2_ONESHOT = 0b10'11'000'0;
constexpr u8 CHANNEL2_LATCH = 0b10'00'000'0; // counter latch command (access bits 00)

void timer_tick(void*)
{
    ktime::tick();
}

} // namespace

void pit_channel2_start()
{
    u8 speaker = inb(SPEAKER_PORT) & ~(SPEAKER_DATA | SPEAKER_GATE2);
    outb(SPEAKER_PORT, speaker | SPEAKER_GATE2);
    outb(COMMAND, CHANNEL2_ONESHOT);
    outb(CHANNEL2_DATA, 0xff);
    outb(CHANNEL2_DATA, 0xff);
}

u16 pit_channel2_count()
{
    outb(COMMAND, CHANNEL2_LATCH);
    u8 low = inb(CHANNEL2_DATA);
    u8 high = inb(CHANNEL2_DATA);
    return static_cast<u16>(low | (high << 8));
}

ErrorOr<void> pit_start_periodic_tick(u32 hz)
{
    if (hz < 19 || hz > PIT_FREQUENCY_HZ)
        return Error::from_errno(EINVAL); // the divisor must fit 16 bits
    u32 divisor = static_cast<u32>((PIT_FREQUENCY_HZ + hz / 2) / hz);
    outb(COMMAND, CHANNEL0_RATE_GENERATOR);
    outb(CHANNEL0_DATA, static_cast<u8>(divisor));
    outb(CHANNEL0_DATA, static_cast<u8>(divisor >> 8));
    TRY(irq::register_isa_handler(0, timer_tick, nullptr, "timer"));
    ktime::set_tick_rate(hz);
    return {};
}

} // namespace x86
