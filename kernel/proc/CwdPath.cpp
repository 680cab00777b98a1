// Textual path joining for the cwd; see CwdPath.h.
#include <kernel/proc/CwdPath.h>

namespace proc {

ErrorOr<usize> join_path(StringView base, StringView path, char* out, usize capacity)
{
    if (capacity < 2)
        return Error::from_errno(ENAMETOOLONG);
    usize length = 1;
    out[0] = '/';
    auto append_components = [&](StringView text) -> ErrorOr<void> {
        usize i = 0;
        while (i < text.length()) {
            while (i < text.length() && text[i] == '/')
                ++i;
            usize start = i;
            while (i < text.length() && text[i] != '/')
                ++i;
            StringView component = text.substring(start, i - start);
            if (component.is_empty() || component == StringView("."))
                continue;
            if (component == StringView("..")) {
                while (length > 1 && out[length - 1] != '/')
                    --length;
                if (length > 1)
                    --length;
                continue;
            }
            usize needed = (length > 1 ? 1 : 0) + component.length();
            if (length + needed + 1 > capacity)
                return Error::from_errno(ENAMETOOLONG);
            if (length > 1)
                out[length++] = '/';
            __builtin_memcpy(out + length, component.characters(), component.length());
            length += component.length();
        }
        return {};
    };
    if (path.is_empty() || path[0] != '/')
        TRY(append_components(base));
    TRY(append_components(path));
    out[length] = '\0';
    return length;
}

} // namespace proc
