#pragma once

// wait4(2) and the Linux status encoding: exit code in bits 8..15, the
// terminating signal in bits 0..6, 0x80 for a core dump, 0x7f low byte for a
// stopped child (signal in bits 8..15), 0xffff for a continued one.

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WNOHANG              1
#define WUNTRACED            2
#define WSTOPPED             2
#define WEXITED              4
#define WCONTINUED           8

#define WEXITSTATUS(status)  (((status)&0xff00) >> 8)
#define WTERMSIG(status)     ((status)&0x7f)
#define WSTOPSIG(status)     WEXITSTATUS(status)
#define WIFEXITED(status)    (WTERMSIG(status) == 0)
#define WIFSIGNALED(status)  (((signed char)(((status)&0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(status)   (((status)&0xff) == 0x7f)
#define WIFCONTINUED(status) ((status) == 0xffff)
#define WCOREDUMP(status)    ((status)&0x80)

struct rusage;
pid_t wait(int* status);
pid_t waitpid(pid_t pid, int* status, int options);
pid_t wait4(pid_t pid, int* status, int options, struct rusage* usage);

#ifdef __cplusplus
}
#endif
