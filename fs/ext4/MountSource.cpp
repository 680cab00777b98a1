// Resolving a mount(2) source to a block device and mounting it.
#include <fs/block/BlockDevice.h>
#include <fs/ext4/MountSource.h>

namespace ext4 {

namespace {

constexpr StringView DEV_PREFIX = "/dev/";

} // namespace

ErrorOr<NonnullRefPtr<fs::FileSystem>> mount_source(StringView source, bool read_only)
{
    StringView name = source;
    if (source.starts_with(DEV_PREFIX))
        name = source.substring(DEV_PREFIX.length(), source.length() - DEV_PREFIX.length());
    else if (source.starts_with("/"))
        return Error::from_errno(ENOTBLK);
    if (name.length() == 0)
        return Error::from_errno(ENOENT);
    RefPtr<block::BlockDevice> device = block::find_device(name);
    if (!device)
        return Error::from_errno(ENOENT);
    MountOptions options;
    options.read_only = read_only;
    auto file_system = TRY(Ext4FileSystem::mount(*device, options));
    return NonnullRefPtr<fs::FileSystem>(*file_system);
}

} // namespace ext4
