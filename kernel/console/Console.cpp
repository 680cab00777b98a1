// Console fan-out and the input queue. One spinlock serializes output so that
// lines from interrupt handlers and threads do not interleave mid-line.
#include <drivers/serial/Uart16550.h>
#include <kernel/arch/Cpu.h>
#include <kernel/console/Console.h>
#include <kernel/lib/Spinlock.h>

namespace console {

namespace {

Spinlock s_output_lock;
Output* s_outputs = nullptr;

Spinlock s_input_lock;
constexpr usize INPUT_CAPACITY = 256;
char s_input[INPUT_CAPACITY];
usize s_input_head = 0; // next byte to read
usize s_input_count = 0;

class ConsoleSink final : public FormatSink {
public:
    void write(StringView text) override { console::write(text); }
};

ConsoleSink s_sink;

} // namespace

void register_output(Output& output)
{
    SpinlockGuard guard(s_output_lock);
    Output** tail = &s_outputs;
    while (*tail)
        tail = &(*tail)->next_output;
    *tail = &output;
}

void write(StringView text)
{
    SpinlockGuard guard(s_output_lock);
    serial::write(text);
    for (Output* output = s_outputs; output; output = output->next_output)
        output->write(text);
}

FormatSink& sink()
{
    return s_sink;
}

void push_input(char c)
{
    SpinlockGuard guard(s_input_lock);
    if (s_input_count == INPUT_CAPACITY)
        return; // full: drop, as a terminal does when nobody reads
    s_input[(s_input_head + s_input_count) % INPUT_CAPACITY] = c;
    ++s_input_count;
}

int try_read_char()
{
    for (int c; (c = serial::try_read()) >= 0;)
        push_input(static_cast<char>(c));
    SpinlockGuard guard(s_input_lock);
    if (s_input_count == 0)
        return -1;
    char c = s_input[s_input_head];
    s_input_head = (s_input_head + 1) % INPUT_CAPACITY;
    --s_input_count;
    return static_cast<unsigned char>(c);
}

char read_char()
{
    for (;;) {
        int c = try_read_char();
        if (c >= 0)
            return static_cast<char>(c);
        if (arch::interrupts_enabled())
            arch::wait_for_interrupt();
        else
            arch::cpu_relax();
    }
}

} // namespace console
