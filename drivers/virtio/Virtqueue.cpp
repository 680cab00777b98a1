// Split virtqueues; see Virtqueue.h.
#include <drivers/virtio/Virtqueue.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/PhysicalMemory.h>

namespace virtio {

namespace {

constexpr usize QUEUE_ALIGN = 4096;

usize align_up(usize value, usize alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

} // namespace

Virtqueue::~Virtqueue()
{
    if (m_frames)
        (void)mm::free_frames(m_memory, m_frames);
}

ErrorOr<void> Virtqueue::init(Transport& transport, u16 index, u16 size, bool use_msix)
{
    if (size == 0 || (size & (size - 1)) != 0)
        return Error::from_errno(EINVAL);
    usize available_offset = usize(size) * sizeof(Descriptor);
    usize used_offset = align_up(available_offset + 6 + 2 * usize(size), QUEUE_ALIGN);
    usize total = used_offset + align_up(6 + sizeof(UsedElement) * usize(size), QUEUE_ALIGN);
    usize frames = total / PAGE_SIZE;
    m_memory = TRY(mm::allocate_frames(frames));
    m_frames = frames;
    u8* base = mm::phys_to_virt<u8>(m_memory);
    __builtin_memset(base, 0, total);
    m_transport = &transport;
    m_index = index;
    m_size = size;
    m_descriptors = reinterpret_cast<Descriptor*>(base);
    m_available = reinterpret_cast<volatile u16*>(base + available_offset);
    m_used = reinterpret_cast<volatile u16*>(base + used_offset);
    return transport.setup_queue(index, size, m_memory, m_memory + available_offset, m_memory + used_offset, use_msix);
}

void Virtqueue::make_available(u16 head)
{
    m_available[2 + (m_available_index % m_size)] = head;
    // The ring entry and the descriptors before the index (2.7.13).
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    ++m_available_index;
    m_available[1] = m_available_index;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    m_transport->notify(m_index);
}

bool Virtqueue::take_used(UsedElement& out)
{
    u16 device_index = m_used[1];
    if (device_index == m_last_used)
        return false;
    // Read the element only after seeing the index move.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    auto* elements = reinterpret_cast<volatile UsedElement*>(m_used + 2);
    volatile UsedElement& element = elements[m_last_used % m_size];
    out.id = element.id;
    out.length = element.length;
    ++m_last_used;
    return true;
}

} // namespace virtio
