#pragma once

// The base of every devfs open file description: it keeps the node it was
// opened from (stat reports the node, as on Linux, and the open file keeps
// the mount busy) and offers the character-device defaults: reads and
// writes at any offset ignore it, seeks succeed and report 0 (what Linux's
// null and zero do).
#include <fs/vfs/Mount.h>
#include <fs/vfs/OpenFile.h>
#include <fs/vfs/Vnode.h>

namespace fs::devfs {

class DeviceFile : public OpenFile {
public:
    ErrorOr<usize> pread(u64, Bytes buffer) override { return read(buffer); }
    ErrorOr<usize> pwrite(u64, ReadonlyBytes data) override { return write(data); }
    ErrorOr<u64> seek(i64, SeekFrom) override { return 0; }
    ErrorOr<Attributes> stat() const override { return m_location.vnode->attributes(); }
    const Location* location() const override { return &m_location; }

protected:
    DeviceFile(Location location, u32 flags)
        : OpenFile(flags)
        , m_location(lib::move(location))
    {
    }

private:
    Location m_location;
};

} // namespace fs::devfs
