#pragma once

// A path argument copied from user memory into a kernel buffer of
// fs::MAX_PATH_LENGTH bytes: EFAULT for a bad pointer, ENAMETOOLONG when it
// does not fit, ENOENT for an empty path (as the path walk says).
#include <fs/vfs/Types.h>
#include <kernel/mm/Heap.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

class UserPath {
public:
    UserPath() = default;
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    ~UserPath() { kfree(m_buffer); }

    // The buffer itself (MAX_PATH_LENGTH bytes), for a path made in the kernel.
    ErrorOr<char*> buffer()
    {
        if (!m_buffer)
            m_buffer = static_cast<char*>(kmalloc(fs::MAX_PATH_LENGTH));
        if (!m_buffer)
            return Error::from_errno(ENOMEM);
        return m_buffer;
    }

    ErrorOr<StringView> copy(u64 address)
    {
        TRY(buffer());
        usize length = TRY(user::strncpy_from_user(m_buffer, user::UserPtr<const char>(address), fs::MAX_PATH_LENGTH));
        return StringView(m_buffer, length);
    }

private:
    char* m_buffer { nullptr };
};

} // namespace syscalls
