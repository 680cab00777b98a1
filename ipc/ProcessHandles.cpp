// A process's capabilities across its life; see ProcessHandles.h.
#include <ipc/HandleSpace.h>
#include <ipc/ProcessHandles.h>
#include <ipc/Registry.h>
#include <kernel/lib/New.h>
#include <kernel/user/Random.h>

namespace ipc {

namespace {

u32 random_generation_seed()
{
    u32 seed = 0;
    user::fill_random({ reinterpret_cast<u8*>(&seed), sizeof(seed) });
    return seed;
}

} // namespace

ProcessHandles::~ProcessHandles()
{
    delete m_space;
}

ErrorOr<HandleSpace*> ProcessHandles::space()
{
    if (!m_space) {
        m_space = lib::new_object<HandleSpace>(random_generation_seed());
        if (!m_space)
            return Error::from_errno(ENOMEM);
    }
    return m_space;
}

ErrorOr<void> ProcessHandles::inherit_for_fork(const ProcessHandles& parent)
{
    if (!parent.m_space)
        return {};
    HandleSpace* space = TRY(this->space());
    space->copy_from(
        *parent.m_space, [](const HandleEntry& entry) { return has_rights(entry.rights, IPC_RIGHT_DUPLICATE); },
        [](const HandleEntry& entry) { return entry.object.copy(entry.rights); });
    return {};
}

void ProcessHandles::close_for_exec()
{
    if (m_space)
        m_space->remove_if([](const HandleEntry& entry) { return (entry.flags & IPC_CLOEXEC) != 0; });
}

void ProcessHandles::close_for_exit(i32 pid)
{
    registry::withdraw_all(pid);
    if (m_space)
        m_space->clear();
}

} // namespace ipc
