// BSD sockets: each call is the Linux x86_64 system call of the same name
// (send and recv are sendto and recvfrom without an address).

#include "../internal/syscall.h"
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
    return (int)SYSCALL3(socket, domain, type, protocol);
}
int socketpair(int domain, int type, int protocol, int fds[2])
{
    return (int)SYSCALL4(socketpair, domain, type, protocol, fds);
}
int bind(int fd, const struct sockaddr* address, socklen_t length)
{
    return (int)SYSCALL3(bind, fd, address, length);
}
int listen(int fd, int backlog)
{
    return (int)SYSCALL2(listen, fd, backlog);
}
int accept(int fd, struct sockaddr* restrict address, socklen_t* restrict length)
{
    return (int)SYSCALL3(accept, fd, address, length);
}
int accept4(int fd, struct sockaddr* restrict address, socklen_t* restrict length, int flags)
{
    return (int)SYSCALL4(accept4, fd, address, length, flags);
}
int connect(int fd, const struct sockaddr* address, socklen_t length)
{
    return (int)SYSCALL3(connect, fd, address, length);
}
ssize_t send(int fd, const void* buffer, size_t length, int flags)
{
    return SYSCALL6(sendto, fd, buffer, length, flags, 0, 0);
}
ssize_t recv(int fd, void* buffer, size_t length, int flags)
{
    return SYSCALL6(recvfrom, fd, buffer, length, flags, 0, 0);
}
ssize_t sendmsg(int fd, const struct msghdr* message, int flags)
{
    return SYSCALL3(sendmsg, fd, message, flags);
}
ssize_t recvmsg(int fd, struct msghdr* message, int flags)
{
    return SYSCALL3(recvmsg, fd, message, flags);
}
int shutdown(int fd, int how)
{
    return (int)SYSCALL2(shutdown, fd, how);
}
int getsockname(int fd, struct sockaddr* restrict address, socklen_t* restrict length)
{
    return (int)SYSCALL3(getsockname, fd, address, length);
}
int getpeername(int fd, struct sockaddr* restrict address, socklen_t* restrict length)
{
    return (int)SYSCALL3(getpeername, fd, address, length);
}

ssize_t sendto(
    int fd, const void* buffer, size_t length, int flags, const struct sockaddr* address, socklen_t address_length)
{
    return SYSCALL6(sendto, fd, buffer, length, flags, address, address_length);
}

ssize_t recvfrom(int fd, void* restrict buffer, size_t length, int flags, struct sockaddr* restrict address,
    socklen_t* restrict address_length)
{
    return SYSCALL6(recvfrom, fd, buffer, length, flags, address, address_length);
}

int setsockopt(int fd, int level, int option, const void* value, socklen_t length)
{
    return (int)SYSCALL5(setsockopt, fd, level, option, value, length);
}

int getsockopt(int fd, int level, int option, void* restrict value, socklen_t* restrict length)
{
    return (int)SYSCALL5(getsockopt, fd, level, option, value, length);
}

// The next control message header, or NULL when the next one would not fit
// inside msg_control.
struct cmsghdr* __cmsg_next_header(struct msghdr* message, struct cmsghdr* header)
{
    if (header->cmsg_len < sizeof(struct cmsghdr))
        return NULL;
    char* next = (char*)header + CMSG_ALIGN(header->cmsg_len);
    char* end = (char*)message->msg_control + message->msg_controllen;
    if (next + sizeof(struct cmsghdr) > end || next + CMSG_ALIGN(((struct cmsghdr*)next)->cmsg_len) > end)
        return NULL;
    return (struct cmsghdr*)next;
}
