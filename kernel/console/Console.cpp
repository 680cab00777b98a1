// Console fan-out and the input queue. One spinlock serializes output so that
// lines from interrupt handlers and threads do not interleave mid-line; the
// outputs (the VGA screen) are called under it. The input queue has its own
// spinlock, a leaf: drivers may hold theirs while pushing (ps2's does). The
// UART's receive register is read under it (one port read per byte).
//
// A reader with nothing to read blocks on s_input_waiters until a byte is
// pushed (from the serial or keyboard interrupt). The wake-up is sent after
// the input lock is released, and the reader checks for input under the
// scheduler lock before it sleeps (WaitQueue.h), so no byte is missed. Before
// the scheduler runs, a reader halts between interrupts instead.
#include <drivers/ps2/Keyboard.h>
#include <drivers/serial/Uart16550.h>
#include <kernel/arch/Cpu.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/sched/WaitQueue.h>

namespace console {

namespace {

Spinlock s_output_lock;
Output* s_outputs = nullptr;

Spinlock s_input_lock;
constexpr usize INPUT_CAPACITY = 256;
char s_input[INPUT_CAPACITY];
usize s_input_head = 0;  // next byte to read
usize s_input_count = 0; // written under s_input_lock, read atomically by waiting readers
[[clang::no_destroy]] constinit sched::WaitQueue s_input_waiters;
InputSink s_input_sink = nullptr; // read and written atomically

InputSink input_sink()
{
    return __atomic_load_n(&s_input_sink, __ATOMIC_ACQUIRE);
}

class ConsoleSink final : public FormatSink {
public:
    void write(StringView text) override { console::write(text); }
};

ConsoleSink s_sink;

void push_input_locked(char c)
{
    s_input[(s_input_head + s_input_count) % INPUT_CAPACITY] = c;
    __atomic_store_n(&s_input_count, s_input_count + 1, __ATOMIC_RELEASE);
}

bool input_available()
{
    return __atomic_load_n(&s_input_count, __ATOMIC_ACQUIRE) != 0;
}

void wake_readers()
{
    if (sched::is_running())
        s_input_waiters.wake_all();
}

// Moves UART bytes into the queue while it has room. What does not fit stays
// in the UART, so a sender faster than the reader (a paste, a test harness
// piping commands) is held back by the FIFO instead of losing bytes here.
// The room check and the push share one lock section, so the interrupt
// handler and the polling reader cannot both fill the last slot.
// Returns whether it queued anything.
bool drain_serial()
{
    // Bounded: a UART that always reports data (unplugged, floating) must
    // not hold the CPU; its FIFO holds 16 bytes.
    bool queued = false;
    for (int i = 0; i < 64; ++i) {
        if (InputSink sink = input_sink()) {
            // A terminal takes the bytes as they come; it has its own buffer.
            int c;
            {
                SpinlockGuard guard(s_input_lock);
                c = serial::try_read();
            }
            if (c < 0)
                break;
            sink(static_cast<char>(c));
            continue;
        }
        SpinlockGuard guard(s_input_lock);
        if (s_input_count == INPUT_CAPACITY)
            break;
        int c = serial::try_read();
        if (c < 0)
            break;
        push_input_locked(static_cast<char>(c));
        queued = true;
    }
    return queued;
}

} // namespace

void register_output(Output& output)
{
    SpinlockGuard guard(s_output_lock);
    Output** tail = &s_outputs;
    while (*tail)
        tail = &(*tail)->next_output;
    *tail = &output;
}

static void write_to_outputs(StringView text)
{
    serial::write(text);
    for (Output* output = s_outputs; output; output = output->next_output)
        output->write(text);
}

void write(StringView text)
{
    // A panic may come from code that holds the output lock (a fault inside a
    // console driver): waiting for it would hide the panic screen forever.
    // The panicking CPU is the only one left running, so it writes unlocked.
    if (kernel::panic_in_progress()) [[unlikely]] {
        write_to_outputs(text);
        return;
    }
    SpinlockGuard guard(s_output_lock);
    write_to_outputs(text);
}

FormatSink& sink()
{
    return s_sink;
}

void set_input_sink(InputSink sink)
{
    __atomic_store_n(&s_input_sink, sink, __ATOMIC_RELEASE);
    if (!sink)
        return;
    // Type-ahead queued before the terminal opened belongs to it.
    for (;;) {
        char c;
        {
            SpinlockGuard guard(s_input_lock);
            if (s_input_count == 0)
                break;
            c = s_input[s_input_head];
            s_input_head = (s_input_head + 1) % INPUT_CAPACITY;
            __atomic_store_n(&s_input_count, s_input_count - 1, __ATOMIC_RELEASE);
        }
        sink(c);
    }
}

void push_input(char c)
{
    if (InputSink sink = input_sink()) {
        sink(c);
        return;
    }
    {
        SpinlockGuard guard(s_input_lock);
        if (s_input_count == INPUT_CAPACITY)
            return; // full: drop, as a terminal does when nobody reads
        push_input_locked(c);
    }
    wake_readers();
}

void handle_serial_interrupt()
{
    if (drain_serial())
        wake_readers();
}

int try_read_char()
{
    drain_serial();
    ps2::poll();
    SpinlockGuard guard(s_input_lock);
    if (s_input_count == 0)
        return -1;
    char c = s_input[s_input_head];
    s_input_head = (s_input_head + 1) % INPUT_CAPACITY;
    __atomic_store_n(&s_input_count, s_input_count - 1, __ATOMIC_RELEASE);
    return static_cast<unsigned char>(c);
}

char read_char()
{
    for (;;) {
        // try_read_char also drains the UART and polls the keyboard, which
        // matters when their interrupts found the queue full.
        int c = try_read_char();
        if (c >= 0)
            return static_cast<char>(c);
        if (sched::is_running() && arch::interrupts_enabled())
            s_input_waiters.wait_until(input_available);
        else if (arch::interrupts_enabled())
            arch::wait_for_interrupt();
        else
            arch::cpu_relax();
    }
}

} // namespace console
