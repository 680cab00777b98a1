// The system-call table and dispatcher; see Dispatcher.h.
//
// The table is built at compile time from OSPREY_ENUMERATE_SYSCALLS. Here
// each handler is declared weak: a call listed in the table whose family
// file does not define it yet links to a null handler and answers ENOSYS,
// so the shared table can list calls before the kernel implements them.
#include <kernel/api/syscalls.h>
#include <kernel/console/Console.h>
#include <kernel/proc/Process.h>
#include <kernel/syscalls/Dispatcher.h>

namespace syscalls {

#define OSPREY_DECLARE_WEAK_HANDLER(name, number) [[gnu::weak]] ErrorOr<u64> sys_##name(const Arguments& arguments);
OSPREY_ENUMERATE_SYSCALLS(OSPREY_DECLARE_WEAK_HANDLER)
#undef OSPREY_DECLARE_WEAK_HANDLER

namespace {

struct Slot {
    const char* name;
    Handler handler;
};

constexpr u32 highest_number()
{
    u32 highest = 0;
#define OSPREY_TAKE_HIGHEST(name, number) highest = number > highest ? number : highest;
    OSPREY_ENUMERATE_SYSCALLS(OSPREY_TAKE_HIGHEST)
#undef OSPREY_TAKE_HIGHEST
    return highest;
}

constexpr usize TABLE_SIZE = highest_number() + 1;

struct Table {
    Slot slots[TABLE_SIZE];
};

constexpr Table build_table()
{
    Table table {};
#define OSPREY_FILL_SLOT(name, number) table.slots[number] = { #name, &sys_##name };
    OSPREY_ENUMERATE_SYSCALLS(OSPREY_FILL_SLOT)
#undef OSPREY_FILL_SLOT
    return table;
}

constinit const Table s_table = build_table();

void trace(const proc::Process& program, u64 number, const Arguments& arguments, i64 result)
{
    StringView name = syscall_name(number);
    console::print("[{}] ", program.name());
    if (name.is_empty())
        console::print("syscall_{}", number);
    else
        console::print("{}", name);
    console::print("({:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}) = ", arguments[0], arguments[1], arguments[2],
        arguments[3], arguments[4], arguments[5]);
    if (result < 0 && result >= -4095)
        console::print("-{}\n", Error::from_errno(static_cast<int>(-result)));
    else
        console::print("{:#x}\n", static_cast<u64>(result));
}

} // namespace

i64 dispatch(u64 number, const Arguments& arguments)
{
    u32 index = static_cast<u32>(number);
    i64 result = -ENOSYS;
    if (index < TABLE_SIZE && s_table.slots[index].handler) {
        auto outcome = s_table.slots[index].handler(arguments);
        result = outcome.is_error() ? -static_cast<i64>(outcome.error().code()) : static_cast<i64>(outcome.value());
    }
    if (const proc::Process* process = proc::Process::current(); process && process->tracing() == proc::Tracing::On)
        trace(*process, number, arguments, result);
    return result;
}

void for_each_syscall(void (*visit)(const TableEntry& entry, void* context), void* context)
{
    for (u32 number = 0; number < TABLE_SIZE; ++number) {
        const Slot& slot = s_table.slots[number];
        if (slot.name)
            visit({ number, slot.name, slot.handler != nullptr }, context);
    }
}

StringView syscall_name(u64 number)
{
    if (number >= TABLE_SIZE || !s_table.slots[number].name)
        return {};
    return s_table.slots[number].name;
}

} // namespace syscalls
