// Block device numbers from names; see DeviceNumbers.h.
#include <fs/block/DeviceNumbers.h>

namespace block {

bool device_number_for(StringView name, DeviceNumber& out)
{
    if (name.length() < 3 || name.length() > 5 || name[1] != 'd' || name[2] < 'a' || name[2] > 'z')
        return false;
    u32 major;
    if (name[0] == 's')
        major = SCSI_DISK_MAJOR;
    else if (name[0] == 'v')
        major = VIRTIO_BLOCK_MAJOR;
    else
        return false;
    u32 partition = 0;
    for (usize i = 3; i < name.length(); ++i) {
        if (name[i] < '0' || name[i] > '9' || (i == 3 && name[i] == '0'))
            return false;
        partition = partition * 10 + static_cast<u32>(name[i] - '0');
    }
    if (partition > 15)
        return false;
    u32 disk = static_cast<u32>(name[2] - 'a');
    if (major == SCSI_DISK_MAJOR && disk > 15)
        return false; // sdq.. live on other majors in Linux
    out = { major, disk * 16 + partition };
    return true;
}

} // namespace block
