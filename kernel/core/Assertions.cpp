// The kernel side of kernel/lib/Assertions.h: a failed LIB_VERIFY in the
// support library is a broken kernel invariant, so it panics like VERIFY.
#include <kernel/core/Panic.h>
#include <kernel/lib/Assertions.h>

namespace lib {

void verify_failed(const char* condition, const char* file, int line)
{
    kernel::panic("VERIFY failed: {} at {}:{}", condition, file, line);
}

} // namespace lib
