// kshell commands for processes:
//
//   exec [-t] <path> [args...]   runs the program at <path> in the VFS as a
//                                new process (fds 0-2 on the console, cwd /)
//                                and waits for it (-t traces system calls):
//       exec: <path> exited with status <n>
//       exec: <path> killed by <SIGNAL>
//       exec: <path>: cannot execute: <ERRNO>
//   procs                        the number of processes: "processes: <n>"
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/mm/Heap.h>
#include <kernel/proc/Loader.h>
#include <kernel/proc/Process.h>
#include <kernel/proc/Report.h>
#include <kernel/user/Signal.h>

namespace proc {

namespace {

constexpr StringView PROCESS_ENVIRONMENT[] = { "HOME=/", "TERM=vt100", "PATH=/bin:/sbin" };

void exec_command(kshell::Arguments args)
{
    usize first = 1;
    Tracing tracing = Tracing::Off;
    if (args.size() > first && args[first] == StringView("-t")) {
        tracing = Tracing::On;
        ++first;
    }
    if (args.size() <= first) {
        console::write("usage: exec [-t] <path> [args...]\n");
        return;
    }
    StringView path = args[first];
    fs::Context context { fs::vfs().root(), {} };
    auto file = read_executable(context, fs::vfs().root(), path);
    if (file.is_error()) {
        console::print("exec: {}: cannot execute: {}\n", path, file.error());
        return;
    }
    SpawnRequest request {
        path,
        { file.value().data, file.value().size },
        args.slice(first),
        PROCESS_ENVIRONMENT,
        tracing,
    };
    auto process = Process::spawn(request);
    kfree(file.value().data);
    if (process.is_error()) {
        console::print("exec: {}: cannot execute: {}\n", path, process.error());
        return;
    }
    report_status("exec", path, Process::wait_for(process.value()));
}

KSHELL_COMMAND("exec", "run a program from the file system: exec [-t] <path> [args...]", exec_command);

void procs_command(kshell::Arguments)
{
    console::print("processes: {}\n", process_count());
}

KSHELL_COMMAND("procs", "the number of processes", procs_command);

} // namespace

void report_status(StringView command, StringView name, int wait_status)
{
    if ((wait_status & 0x7f) == 0)
        console::print("{}: {} exited with status {}\n", command, name, (wait_status >> 8) & 0xff);
    else
        console::print(
            "{}: {} killed by {}\n", command, name, user::signal_name(static_cast<user::Signal>(wait_status & 0x7f)));
}

} // namespace proc
