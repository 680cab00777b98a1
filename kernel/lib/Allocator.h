#pragma once

// Raw allocation hooks for kernel/lib containers. The kernel implements them
// on kmalloc (kernel/mm), host tests on malloc. Both return null on failure.
#include <kernel/lib/Types.h>

namespace lib {

void* allocate(usize size, usize alignment = 16);
void deallocate(void* pointer);

} // namespace lib
