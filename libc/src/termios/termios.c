// Terminal attributes through the TCGETS/TCSETS* ioctls; struct termios is
// the kernel's, so nothing is translated. The speed lives in c_cflag (CBAUD).

#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int tcgetattr(int fd, struct termios* result)
{
    return ioctl(fd, TCGETS, result);
}

int tcsetattr(int fd, int action, const struct termios* attributes)
{
    static const unsigned long requests[] = { [TCSANOW] = TCSETS, [TCSADRAIN] = TCSETSW, [TCSAFLUSH] = TCSETSF };
    if (action < TCSANOW || action > TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return ioctl(fd, requests[action], attributes);
}

int tcflush(int fd, int queue)
{
    return ioctl(fd, TCFLSH, queue);
}

int isatty(int fd)
{
    struct termios attributes;
    return tcgetattr(fd, &attributes) == 0;
}

// The attributes of raw mode as cfmakeraw(3) documents them.
void cfmakeraw(struct termios* attributes)
{
    attributes->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    attributes->c_oflag &= ~(tcflag_t)OPOST;
    attributes->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    attributes->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    attributes->c_cflag |= CS8;
    attributes->c_cc[VMIN] = 1;
    attributes->c_cc[VTIME] = 0;
}

speed_t cfgetospeed(const struct termios* attributes)
{
    return attributes->c_cflag & CBAUD;
}

speed_t cfgetispeed(const struct termios* attributes)
{
    return cfgetospeed(attributes);
}

int cfsetospeed(struct termios* attributes, speed_t speed)
{
    if (speed & ~(speed_t)CBAUD) {
        errno = EINVAL;
        return -1;
    }
    attributes->c_cflag = (attributes->c_cflag & ~(tcflag_t)CBAUD) | speed;
    return 0;
}

int cfsetispeed(struct termios* attributes, speed_t speed)
{
    return speed == 0 ? 0 : cfsetospeed(attributes, speed);
}
