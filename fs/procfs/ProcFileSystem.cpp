// procfs's filesystem object; see ProcFileSystem.h.
#include <fs/procfs/ProcFileSystem.h>
#include <fs/procfs/ProcNodes.h>
#include <kernel/lib/New.h>

namespace fs::procfs {

ErrorOr<NonnullRefPtr<ProcFileSystem>> ProcFileSystem::try_create(Provider& provider)
{
    auto* file_system = new (std::nothrow) ProcFileSystem(provider);
    if (!file_system)
        return Error::from_errno(ENOMEM);
    auto result = adopt_ref(*file_system);
    result->m_root = TRY(make_node(*result, NodeKind::Root));
    return result;
}

ProcFileSystem::~ProcFileSystem() = default;

NonnullRefPtr<Vnode> ProcFileSystem::root()
{
    return *m_root;
}

} // namespace fs::procfs
