#pragma once

// The checksums ext4 and jbd2 store: CRC32C (Castagnoli, reflected) as the
// Linux kernel's crc32c() computes it, that is without the initial and final
// inversion (callers pass ~0 as the first seed, as ext4 does), and the
// CRC16 (ANSI, reflected 0xA001) of the old uninit_bg group descriptors.
#include <kernel/lib/Span.h>

namespace ext4 {

u32 crc32c(u32 seed, const void* data, usize length);
inline u32 crc32c(u32 seed, ReadonlyBytes data)
{
    return crc32c(seed, data.data(), data.size());
}
// The CRC32C of a little-endian 32-bit value, as ext4 folds inode and
// group numbers into its checksums.
u32 crc32c_u32(u32 seed, u32 value);

u16 crc16(u16 seed, const void* data, usize length);

} // namespace ext4
