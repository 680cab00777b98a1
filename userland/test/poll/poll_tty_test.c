// Readiness of the terminal: poll, select and epoll on /dev/tty in
// canonical mode with echo off. Driven by a typist (tests/system/poll.py on
// Osprey, tty_compare.py under a pseudo-terminal on the host Linux) who
// waits for each "poll_tty: waiting ..." line before typing:
//   1. "ab" (no newline): not readable, since canonical mode has no line yet;
//   2. "cd" and Enter: a blocked poll wakes with POLLIN, the line is "abcd";
//   3. "ef" and Enter: a blocked epoll_wait wakes.
// Every line printed must be the same on both systems (tty_expected.txt).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

static void say(int tty, const char* format, ...)
{
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof(line), format, arguments);
    va_end(arguments);
    write(tty, line, (size_t)length);
}

static const char* mask_name(unsigned mask)
{
    static char text[96];
    static const struct {
        unsigned bit;
        const char* name;
    } names[] = {
        { POLLIN, "IN" },
        { POLLPRI, "PRI" },
        { POLLOUT, "OUT" },
        { POLLERR, "ERR" },
        { POLLHUP, "HUP" },
        { POLLNVAL, "NVAL" },
        { POLLRDNORM, "RDNORM" },
        { POLLRDBAND, "RDBAND" },
        { POLLWRNORM, "WRNORM" },
        { POLLWRBAND, "WRBAND" },
        { POLLRDHUP, "RDHUP" },
    };
    text[0] = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        if (mask & names[i].bit) {
            if (text[0])
                strcat(text, "|");
            strcat(text, names[i].name);
        }
    }
    if (!text[0])
        strcpy(text, "0");
    return text;
}

static void poll_tty(int tty, const char* label, short events, int timeout)
{
    struct pollfd entry = { tty, events, 0 };
    int count = poll(&entry, 1, timeout);
    say(tty, "%s: poll = %d revents = %s\n", label, count, mask_name((unsigned short)entry.revents));
}

static void read_line(int tty)
{
    char line[64];
    ssize_t length = read(tty, line, sizeof(line) - 1);
    if (length < 0)
        length = 0;
    if (length > 0 && line[length - 1] == '\n')
        length--;
    line[length] = 0;
    say(tty, "read: \"%s\"\n", line);
}

int main(void)
{
    int tty = open("/dev/tty", O_RDWR);
    if (tty < 0) {
        printf("poll_tty: no terminal (errno %d)\n", errno);
        return 1;
    }
    struct termios saved, quiet;
    tcgetattr(tty, &saved);
    quiet = saved;
    quiet.c_lflag |= ICANON;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    tcsetattr(tty, TCSANOW, &quiet);

    poll_tty(tty, "idle terminal", POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0);
    fd_set read_set, write_set;
    FD_ZERO(&read_set);
    FD_ZERO(&write_set);
    FD_SET(tty, &read_set);
    FD_SET(tty, &write_set);
    struct timeval zero = { 0, 0 };
    int count = select(tty + 1, &read_set, &write_set, NULL, &zero);
    say(tty, "idle terminal: select = %d readable %d writable %d\n", count, FD_ISSET(tty, &read_set),
        FD_ISSET(tty, &write_set));

    say(tty, "poll_tty: waiting for a partial line\n");
    poll_tty(tty, "partial line, 1 s", POLLIN, 1000);
    say(tty, "poll_tty: waiting for the rest of the line\n");
    poll_tty(tty, "whole line", POLLIN, 30000);
    read_line(tty);
    poll_tty(tty, "line read", POLLIN, 0);

    int epoll_fd = epoll_create1(0);
    struct epoll_event event = { EPOLLIN | EPOLLET, { .u64 = 77 } };
    int added = epoll_ctl(epoll_fd, EPOLL_CTL_ADD, tty, &event);
    say(tty, "epoll_ctl ADD tty = %d\n", added);
    say(tty, "poll_tty: waiting for another line\n");
    memset(&event, 0, sizeof(event));
    count = epoll_wait(epoll_fd, &event, 1, 30000);
    say(tty, "epoll_wait = %d {%s data=%llu}\n", count, mask_name(event.events), (unsigned long long)event.data.u64);
    read_line(tty);
    close(epoll_fd);

    tcsetattr(tty, TCSANOW, &saved);
    say(tty, "poll_tty: done\n");
    close(tty);
    return 0;
}
