// Redirections (POSIX XCU 2.7): open the target, move it onto the fd with
// dup2, or duplicate / close an fd for <& and >&.

#include "redirect.h"
#include "expand.h"
#include "shell.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void save(RedirectUndo* undo, int fd)
{
    if (!undo)
        return;
    for (size_t i = 0; i < undo->count; ++i) {
        if (undo->entries[i].fd == fd)
            return;
    }
    undo->entries = xrealloc(undo->entries, (undo->count + 1) * sizeof(SavedFd));
    undo->entries[undo->count++] = (SavedFd) { fd, fcntl(fd, F_DUPFD_CLOEXEC, 10) };
}

// Moves `source` onto `target` and closes `source`.
static bool move_fd(int source, int target)
{
    if (source == target)
        return true;
    int result = dup2(source, target);
    int error = errno;
    close(source);
    if (result < 0) {
        shell_error("%d: %s", target, strerror(error));
        return false;
    }
    return true;
}

static bool is_number(const char* text)
{
    if (!*text)
        return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9')
            return false;
    }
    return true;
}

static bool apply_duplication(const Redirect* redirect, const char* target, RedirectUndo* undo)
{
    if (strcmp(target, "-") == 0) {
        save(undo, redirect->fd);
        close(redirect->fd);
        return true;
    }
    // ">&file" (no digits) means "&>file" in bash.
    if (!is_number(target)) {
        if (redirect->kind == RedirectDuplicateOutput && redirect->fd == 1) {
            Redirect both = { RedirectOutputAndError, 1, (char*)target };
            return redirections_apply(&both, 1, undo);
        }
        shell_error("%s: ambiguous redirect", target);
        return false;
    }
    int source = atoi(target);
    if (fcntl(source, F_GETFD) < 0) {
        shell_error("%s: %s", target, strerror(EBADF));
        return false;
    }
    if (source == redirect->fd)
        return true;
    save(undo, redirect->fd);
    if (dup2(source, redirect->fd) < 0) {
        shell_error("%d: %s", redirect->fd, strerror(errno));
        return false;
    }
    return true;
}

static bool apply_one(const Redirect* redirect, RedirectUndo* undo)
{
    char* target = expand_word(redirect->word);
    if (!target)
        return false;
    bool ok;
    if (redirect->kind == RedirectDuplicateInput || redirect->kind == RedirectDuplicateOutput) {
        ok = apply_duplication(redirect, target, undo);
        free(target);
        return ok;
    }
    int flags;
    switch (redirect->kind) {
    case RedirectInput:
        flags = O_RDONLY;
        break;
    case RedirectAppend:
    case RedirectAppendAndError:
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
    default:
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        break;
    }
    // Save first: the open may reuse the very fd we are redirecting.
    bool both = redirect->kind == RedirectOutputAndError || redirect->kind == RedirectAppendAndError;
    if (both) {
        save(undo, 1);
        save(undo, 2);
    } else {
        save(undo, redirect->fd);
    }
    int fd = open(target, flags, 0666);
    if (fd < 0) {
        shell_error("%s: %s", target, strerror(errno));
        free(target);
        return false;
    }
    free(target);
    if (both) {
        if (fd != 2 && dup2(fd, 2) < 0) {
            shell_error("2: %s", strerror(errno));
            close(fd);
            return false;
        }
        return move_fd(fd, 1);
    }
    return move_fd(fd, redirect->fd);
}

bool redirections_apply(const Redirect* redirects, size_t count, RedirectUndo* undo)
{
    for (size_t i = 0; i < count; ++i) {
        if (!apply_one(&redirects[i], undo))
            return false;
    }
    return true;
}

void redirections_undo(RedirectUndo* undo)
{
    // In reverse order of saving.
    for (size_t i = undo->count; i-- > 0;) {
        SavedFd* entry = &undo->entries[i];
        if (entry->saved >= 0) {
            dup2(entry->saved, entry->fd);
            close(entry->saved);
        } else {
            close(entry->fd);
        }
    }
    free(undo->entries);
    undo->entries = NULL;
    undo->count = 0;
}
