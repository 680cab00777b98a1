#pragma once

// A split virtqueue (virtio 1.2, 2.7) in the legacy layout: descriptor
// table, available ring, then the used ring at the next 4 KiB boundary, in
// physically contiguous zeroed frames. The queue only moves indices; which
// descriptors mean what is the driver's business.
//
// Locking: the owner serializes make_available() and take_used() with its
// own lock (the interrupt handler takes used entries under it too).
#include <drivers/virtio/Transport.h>

namespace virtio {

struct Descriptor {
    u64 address;
    u32 length;
    u16 flags;
    u16 next;
};
static_assert(sizeof(Descriptor) == 16);

namespace descriptor_flag {
inline constexpr u16 NEXT = 1;
inline constexpr u16 WRITE = 2; // the device writes this buffer
} // namespace descriptor_flag

struct UsedElement {
    u32 id;
    u32 length;
};

class Virtqueue {
public:
    Virtqueue() = default;
    ~Virtqueue();
    Virtqueue(const Virtqueue&) = delete;
    Virtqueue& operator=(const Virtqueue&) = delete;

    // Allocates the rings for `size` entries (a power of two) and hands them
    // to the device as queue `index`.
    ErrorOr<void> init(Transport& transport, u16 index, u16 size, bool use_msix);

    u16 size() const { return m_size; }
    Descriptor& descriptor(u16 index) { return m_descriptors[index]; }

    // Offers the chain starting at `head` to the device and notifies it.
    void make_available(u16 head);
    // The next used element, if the device returned one.
    bool take_used(UsedElement& out);

private:
    Transport* m_transport { nullptr };
    u16 m_index { 0 };
    u16 m_size { 0 };
    PhysAddr m_memory { 0 };
    usize m_frames { 0 };
    Descriptor* m_descriptors { nullptr };
    volatile u16* m_available { nullptr }; // flags, idx, ring[size], used_event
    volatile u16* m_used { nullptr };      // flags, idx, then UsedElement[size]
    u16 m_available_index { 0 };
    u16 m_last_used { 0 };
};

} // namespace virtio
