// PS/2 keyboard driver. At boot it brings up the 8042 (Controller.cpp) and
// resets the keyboard (command FF: the keyboard answers ACK FA, runs its
// basic assurance test and sends AA; IBM PS/2 Hardware Interface Technical
// Reference, "Keyboard and Auxiliary Device", command Reset). After that,
// scan codes are drained from the controller either by polling (from the
// console's read loop) or from the IRQ 1 handler, decoded, and pushed into
// the console input queue.
//
// Locking: s_lock guards the controller's ports and the decoder state, so
// poll() and the interrupt handler never split a status/data read pair or an
// E0 sequence. Lock order: s_lock, then the console input lock (push_input).
#include <drivers/ps2/Controller.h>
#include <drivers/ps2/KeyDecoder.h>
#include <drivers/ps2/Keyboard.h>
#include <kernel/console/Console.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/log/Log.h>

namespace ps2 {

namespace {

constexpr u8 KEYBOARD_RESET = 0xff;
constexpr u8 KEYBOARD_ACK = 0xfa;
constexpr u8 KEYBOARD_RESEND = 0xfe;
constexpr u8 KEYBOARD_TEST_PASSED = 0xaa;
constexpr int RESET_ATTEMPTS = 3;
// Bytes taken per drain: a burst of keys is a few bytes, and the bound keeps
// a stuck status bit from holding the CPU.
constexpr u32 MAX_BYTES_PER_DRAIN = 32;

Spinlock s_lock;
constinit KeyDecoder s_decoder;
bool s_present = false; // set once at boot, before anyone polls

ErrorOr<void> reset_keyboard()
{
    for (int attempt = 0; attempt < RESET_ATTEMPTS; ++attempt) {
        u8 reply = TRY(send_to_port1(KEYBOARD_RESET));
        if (reply == KEYBOARD_RESEND)
            continue;
        if (reply != KEYBOARD_ACK)
            return Error::from_errno(ENODEV);
        if (TRY(read_data()) != KEYBOARD_TEST_PASSED)
            return Error::from_errno(ENODEV);
        return {};
    }
    return Error::from_errno(ENODEV);
}

ErrorOr<void> initialize()
{
    TRY(initialize_controller());
    TRY(reset_keyboard());
    return {};
}

void drain_locked()
{
    for (u32 i = 0; i < MAX_BYTES_PER_DRAIN; ++i) {
        u8 status = read_status();
        if (!has(status, Status::OutputFull))
            return;
        u8 code = read_data_now();
        if (has(status, Status::AuxOutputFull))
            continue; // a mouse byte: nobody listens to port 2
        KeyBytes key = s_decoder.feed(code);
        for (u8 j = 0; j < key.length; ++j)
            console::push_input(key.bytes[j]);
    }
}

} // namespace

void init()
{
    ErrorOr<void> result;
    {
        SpinlockGuard guard(s_lock);
        result = initialize();
        s_present = !result.is_error();
    }
    if (result.is_error())
        klog::warn("ps2: no keyboard ({}); the VGA console takes no input", result.error());
    else
        klog::info("ps2: keyboard on port 1, scan code set 1 by translation");
}

void poll()
{
    if (!s_present)
        return;
    SpinlockGuard guard(s_lock);
    drain_locked();
}

void handle_interrupt()
{
    poll();
}

void enable_interrupt()
{
    if (!s_present)
        return;
    ErrorOr<void> result;
    {
        SpinlockGuard guard(s_lock);
        result = set_port1_interrupt(Interrupt::Enabled);
    }
    if (result.is_error())
        klog::warn("ps2: cannot enable IRQ 1 ({})", result.error());
}

} // namespace ps2
