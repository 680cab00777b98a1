// The minimal console file; see ConsoleFile.h.
#include <kernel/console/Console.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/proc/ConsoleFile.h>

namespace proc {

namespace {

constexpr char BACKSPACE = 0x08;
constexpr char DELETE = 0x7f;
// Linux's major/minor of /dev/console (5, 1), as st_rdev encodes them.
constexpr u64 CONSOLE_RDEV = (5 << 8) | 1;

} // namespace

ConsoleFile::ConsoleFile()
    : OpenFile(fs::open_flag::ReadWrite)
{
}

ErrorOr<NonnullRefPtr<fs::OpenFile>> ConsoleFile::try_create()
{
    return TRY(lib::try_make_ref_counted<ConsoleFile>());
}

ErrorOr<usize> ConsoleFile::read(Bytes buffer)
{
    usize count = 0;
    while (count < buffer.size()) {
        char c = console::read_char();
        if (c == '\r')
            c = '\n';
        if (c == BACKSPACE || c == DELETE) {
            if (count > 0) {
                --count;
                console::write("\b \b");
            }
            continue;
        }
        buffer[count++] = static_cast<u8>(c);
        console::write({ &c, 1 });
        if (c == '\n')
            break;
    }
    return count;
}

ErrorOr<usize> ConsoleFile::write(ReadonlyBytes data)
{
    console::write({ reinterpret_cast<const char*>(data.data()), data.size() });
    return data.size();
}

ErrorOr<fs::Attributes> ConsoleFile::stat() const
{
    fs::Attributes attributes;
    attributes.mode = fs::mode::CharacterDevice | 0620;
    attributes.rdev = CONSOLE_RDEV;
    attributes.link_count = 1;
    return attributes;
}

u32 ConsoleFile::poll_readiness() const
{
    return fs::poll_event::Out;
}

} // namespace proc
