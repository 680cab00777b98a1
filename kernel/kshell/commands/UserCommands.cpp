// kshell commands for user programs, until there is a userland to start:
//
//   run [-t] <program> [args...]   runs an embedded test program in ring 3
//                                  (-t traces every system call) and reports
//                                  how it ended, in one of these lines:
//       run: <program> exited with status <n>
//       run: <program> killed by <SIGNAL>
//       run: <program>: cannot execute: <ERRNO>
//       run: no program '<name>' (programs: <names>)
//   syscalls                       the system-call table, one
//                                  "  <number> <name>" line per call, with
//                                  " (ENOSYS)" after calls without a handler
//   usercopy                       self-test of the user-copy routines:
//                                  "ok|FAIL <check>" lines, then
//                                  "usercopy: <n> passed, <m> failed"
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/proc/Process.h>
#include <kernel/proc/Report.h>
#include <kernel/syscalls/Dispatcher.h>
#include <kernel/user/EmbeddedPrograms.h>
#include <kernel/user/UserCopySelfTest.h>

namespace kshell {

namespace {

// What a program finds in envp when run from kshell.
constexpr StringView PROGRAM_ENVIRONMENT[] = { "HOME=/", "TERM=vt100", "PATH=/bin" };

void list_programs()
{
    for (const user::EmbeddedProgram& program : user::embedded_programs())
        console::print(" {}", program.name);
}

void run(Arguments args)
{
    usize first = 1;
    proc::Tracing tracing = proc::Tracing::Off;
    if (args.size() > first && args[first] == StringView("-t")) {
        tracing = proc::Tracing::On;
        ++first;
    }
    if (args.size() <= first) {
        console::write("usage: run [-t] <program> [args...]\nprograms:");
        list_programs();
        console::write("\n");
        return;
    }
    StringView name = args[first];
    const user::EmbeddedProgram* program = user::find_embedded_program(name);
    if (!program) {
        console::print("run: no program '{}' (programs:", name);
        list_programs();
        console::write(")\n");
        return;
    }
    proc::SpawnRequest request {
        name,
        { program->data, static_cast<usize>(program->size) },
        args.slice(first),
        PROGRAM_ENVIRONMENT,
        tracing,
    };
    auto process = proc::Process::spawn(request);
    if (process.is_error()) {
        console::print("run: {}: cannot execute: {}\n", name, process.error());
        return;
    }
    proc::report_status("run", name, proc::Process::wait_for(process.value()));
}
KSHELL_COMMAND("run", "run a test program in user mode: run [-t] <program> [args...]", run);

void syscalls_table(Arguments)
{
    syscalls::for_each_syscall(
        [](const syscalls::TableEntry& entry, void*) {
            console::print("  {:>4} {}{}\n", entry.number, entry.name, entry.implemented ? "" : " (ENOSYS)");
        },
        nullptr);
}
KSHELL_COMMAND("syscalls", "list the system-call table", syscalls_table);

void usercopy(Arguments)
{
    (void)user::run_user_copy_self_test();
}
KSHELL_COMMAND("usercopy", "self-test of the user-copy routines", usercopy);

} // namespace

} // namespace kshell
