// The system-call table and dispatcher; see Dispatcher.h.
//
// The table is built at compile time from OSPREY_ENUMERATE_SYSCALLS. Here
// each handler is declared weak: a call listed in the table whose family
// file does not define it yet links to a null handler and answers ENOSYS,
// so the shared table can list calls before the kernel implements them.
//
// Two ranges share the table: the Linux numbers from 0, and Osprey's own
// calls (OSPREY_ENUMERATE_IPC_SYSCALLS, kernel/api/ipc.h) from
// OSPREY_IPC_SYSCALL_BASE, stored right after the Linux range so the table
// does not hold a thousand empty slots in between.
#include <kernel/api/ipc.h>
#include <kernel/api/syscalls.h>
#include <kernel/console/Console.h>
#include <kernel/proc/Process.h>
#include <kernel/syscalls/Dispatcher.h>

namespace syscalls {

#define OSPREY_DECLARE_WEAK_HANDLER(name, number) [[gnu::weak]] ErrorOr<u64> sys_##name(const Arguments& arguments);
OSPREY_ENUMERATE_SYSCALLS(OSPREY_DECLARE_WEAK_HANDLER)
OSPREY_ENUMERATE_IPC_SYSCALLS(OSPREY_DECLARE_WEAK_HANDLER)
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

constexpr u32 highest_osprey_number()
{
    u32 highest = OSPREY_IPC_SYSCALL_BASE;
#define OSPREY_TAKE_HIGHEST(name, number) highest = number > highest ? number : highest;
    OSPREY_ENUMERATE_IPC_SYSCALLS(OSPREY_TAKE_HIGHEST)
#undef OSPREY_TAKE_HIGHEST
    return highest;
}

constexpr usize LINUX_SIZE = highest_number() + 1;
static_assert(LINUX_SIZE <= OSPREY_IPC_SYSCALL_BASE, "the Linux range runs into Osprey's");
constexpr usize OSPREY_SIZE = highest_osprey_number() - OSPREY_IPC_SYSCALL_BASE + 1;
constexpr usize TABLE_SIZE = LINUX_SIZE + OSPREY_SIZE;

// The slot of `number`, or TABLE_SIZE when it is in neither range.
constexpr usize slot_index(u64 number)
{
    if (number < LINUX_SIZE)
        return number;
    if (number >= OSPREY_IPC_SYSCALL_BASE && number - OSPREY_IPC_SYSCALL_BASE < OSPREY_SIZE)
        return LINUX_SIZE + (number - OSPREY_IPC_SYSCALL_BASE);
    return TABLE_SIZE;
}

constexpr u32 number_of_slot(usize index)
{
    return static_cast<u32>(index < LINUX_SIZE ? index : index - LINUX_SIZE + OSPREY_IPC_SYSCALL_BASE);
}

struct Table {
    Slot slots[TABLE_SIZE];
};

constexpr Table build_table()
{
    Table table {};
#define OSPREY_FILL_SLOT(name, number) table.slots[slot_index(number)] = { #name, &sys_##name };
    OSPREY_ENUMERATE_SYSCALLS(OSPREY_FILL_SLOT)
    OSPREY_ENUMERATE_IPC_SYSCALLS(OSPREY_FILL_SLOT)
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
    usize index = slot_index(static_cast<u32>(number));
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
    for (usize index = 0; index < TABLE_SIZE; ++index) {
        const Slot& slot = s_table.slots[index];
        if (slot.name)
            visit({ number_of_slot(index), slot.name, slot.handler != nullptr }, context);
    }
}

StringView syscall_name(u64 number)
{
    usize index = slot_index(number);
    if (index >= TABLE_SIZE || !s_table.slots[index].name)
        return {};
    return s_table.slots[index].name;
}

} // namespace syscalls
