// Starting /sbin/init; see Init.h.
#include <kernel/mm/Heap.h>
#include <kernel/proc/Init.h>
#include <kernel/proc/Loader.h>

namespace proc {

namespace {

constexpr StringView INIT_ENVIRONMENT[] = { "HOME=/", "TERM=vt100", "PATH=/bin:/sbin" };

} // namespace

ErrorOr<Process*> start_init()
{
    fs::Context context { fs::vfs().root(), {} };
    FileBytes file = TRY(read_executable(context, fs::vfs().root(), INIT_PATH));
    const StringView arguments[] = { INIT_PATH };
    SpawnRequest request { "init", { file.data, file.size }, arguments, INIT_ENVIRONMENT, Tracing::Off };
    auto process = Process::spawn(request);
    kfree(file.data);
    return process;
}

} // namespace proc
