#pragma once

// Where the kernel heap gets its memory: runs of physically contiguous pages,
// reached through a pointer (in the kernel, the direct map). The kernel
// implements it on mm::allocate_frames in kernel/core/KernelHeap.cpp; host
// tests implement it on malloc with a page budget, so that exhaustion is
// testable. The heap calls it with no spinlock held (STYLE rule 7), so an
// implementation may take its own locks.
#include <kernel/lib/Error.h>

namespace mm {

class PageSource {
public:
    // `count` contiguous pages, page aligned. ENOMEM when there are none.
    virtual ErrorOr<u8*> allocate_pages(usize count) = 0;
    // Gives back a run from allocate_pages, whole (same pointer, same count).
    virtual void free_pages(u8* pages, usize count) = 0;

protected:
    ~PageSource() = default;
};

} // namespace mm
