#pragma once

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#ifndef SEEK_SET
#    define SEEK_SET 0
#    define SEEK_CUR 1
#    define SEEK_END 2
#endif

// access(2) modes.
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

extern char** environ;

ssize_t read(int fd, void* buffer, size_t count);
ssize_t write(int fd, const void* buffer, size_t count);
ssize_t pread(int fd, void* buffer, size_t count, off_t offset);
ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int old_fd, int new_fd);
int dup3(int old_fd, int new_fd, int flags);
int fsync(int fd);
int ftruncate(int fd, off_t length);
int truncate(const char* path, off_t length);
int isatty(int fd);

pid_t fork(void);
int execve(const char* path, char* const argv[], char* const envp[]);
int execv(const char* path, char* const argv[]);
int execvp(const char* file, char* const argv[]);
int execvpe(const char* file, char* const argv[], char* const envp[]);
int execl(const char* path, const char* argument, ...);
int execlp(const char* file, const char* argument, ...);
_Noreturn void _exit(int status);

pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int setuid(uid_t uid);
int setgid(gid_t gid);
int seteuid(uid_t uid);
int setegid(gid_t gid);
int setreuid(uid_t real, uid_t effective);
int setregid(gid_t real, gid_t effective);
int setresuid(uid_t real, uid_t effective, uid_t saved);
int setresgid(gid_t real, gid_t effective, gid_t saved);
int getresuid(uid_t* real, uid_t* effective, uid_t* saved);
int getresgid(gid_t* real, gid_t* effective, gid_t* saved);
int getgroups(int size, gid_t list[]);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t setsid(void);
pid_t getsid(pid_t pid);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);

int chdir(const char* path);
int fchdir(int fd);
char* getcwd(char* buffer, size_t size);
int unlink(const char* path);
int rmdir(const char* path);
int link(const char* old_path, const char* new_path);
int symlink(const char* target, const char* link_path);
ssize_t readlink(const char* restrict path, char* restrict buffer, size_t size);
int access(const char* path, int mode);
int chown(const char* path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
int lchown(const char* path, uid_t owner, gid_t group);
int fchownat(int directory_fd, const char* path, uid_t owner, gid_t group, int flags);
int linkat(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path, int flags);
int symlinkat(const char* target, int directory_fd, const char* link_path);
ssize_t readlinkat(int directory_fd, const char* restrict path, char* restrict buffer, size_t size);
int unlinkat(int directory_fd, const char* path, int flags);
int faccessat(int directory_fd, const char* path, int mode, int flags);
int gethostname(char* name, size_t size);
int sethostname(const char* name, size_t size);

unsigned sleep(unsigned seconds);
int usleep(useconds_t microseconds);
unsigned alarm(unsigned seconds);
int pause(void);
void sync(void);
int syncfs(int fd);
int fdatasync(int fd);

long syscall(long number, ...);
void* sbrk(intptr_t increment);
int brk(void* end);
long sysconf(int name);
int getpagesize(void);

#define _SC_PAGESIZE  30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_CLK_TCK   2
#define _SC_OPEN_MAX  4

// getopt(3), POSIX form (no GNU permutation of arguments).
extern char* optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char* const argv[], const char* options);

#ifdef __cplusplus
}
#endif
