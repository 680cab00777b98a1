#pragma once

// The kernel console: every line goes to each registered output (COM1 first,
// then the VGA text screen), and input bytes from the serial port and the PS/2
// keyboard meet in one queue that kshell reads.
#include <kernel/lib/Format.h>

namespace console {

class Output {
public:
    virtual void write(StringView text) = 0;
    Output* next_output { nullptr };

protected:
    ~Output() = default;
};

// Adds an output device. Called during boot, before other CPUs run.
void register_output(Output& output);

void write(StringView text);

// The console as a format sink, for lib::format.
FormatSink& sink();

template<typename... Args>
void print(StringView fmt, const Args&... args)
{
    format(sink(), fmt, args...);
}

// Input: drivers push bytes (from interrupt context or polling); readers pop.
void push_input(char c);
// Returns the next input byte or -1 if none. Also polls the serial port and
// the PS/2 keyboard, so input works before interrupts are enabled.
int try_read_char();
// Waits (halting between interrupts) for the next input byte.
char read_char();

// Where input goes while a terminal owns the console (kernel/tty): with a
// sink installed, every byte pushed or read from the UART goes to it (from
// interrupt context too, so the sink must not block) instead of the queue
// kshell reads; bytes already queued are handed over when it is installed.
// Null gives the input back to the queue.
using InputSink = void (*)(char c);
void set_input_sink(InputSink sink);

// The IRQ 4 (COM1) handler body: moves the bytes the UART holds into the
// input queue, as many as fit (the rest wait in the UART for the reader,
// which polls it too). The caller sends the EOI.
void handle_serial_interrupt();

} // namespace console
