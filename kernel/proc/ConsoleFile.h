#pragma once

// The console as an open file description, for fds 0, 1 and 2 of processes
// the kernel starts. Writes go to console::write; a read returns one line
// (up to and including '\n', or what fits) from console::read_char, echoed,
// with backspace erasing the last byte and '\r' taken as '\n'. A minimal
// stand-in until the terminal line discipline (/dev/console) replaces it.
#include <fs/vfs/OpenFile.h>

namespace proc {

class ConsoleFile final : public fs::OpenFile {
public:
    static ErrorOr<NonnullRefPtr<fs::OpenFile>> try_create();

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<fs::Attributes> stat() const override;
    u32 poll_readiness() const override;
    StringView kind_name() const override { return "console"; }

    ConsoleFile();
};

} // namespace proc
