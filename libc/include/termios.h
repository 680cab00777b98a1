#pragma once

// Terminal attributes. struct termios is the kernel's (asm-generic/termbits.h:
// NCCS 19, no speed fields), so tcgetattr/tcsetattr are TCGETS/TCSETS* ioctls
// with no translation. Flag values from asm-generic/termbits{,-common}.h.

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19

struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
};

// c_cc indexes.
#define VINTR     0
#define VQUIT     1
#define VERASE    2
#define VKILL     3
#define VEOF      4
#define VTIME     5
#define VMIN      6
#define VSWTC     7
#define VSTART    8
#define VSTOP     9
#define VSUSP     10
#define VEOL      11
#define VREPRINT  12
#define VDISCARD  13
#define VWERASE   14
#define VLNEXT    15
#define VEOL2     16

// c_iflag.
#define IGNBRK    0x001
#define BRKINT    0x002
#define IGNPAR    0x004
#define PARMRK    0x008
#define INPCK     0x010
#define ISTRIP    0x020
#define INLCR     0x040
#define IGNCR     0x080
#define ICRNL     0x100
#define IUCLC     0x200
#define IXON      0x400
#define IXANY     0x800
#define IXOFF     0x1000
#define IMAXBEL   0x2000
#define IUTF8     0x4000

// c_oflag.
#define OPOST     0x01
#define OLCUC     0x02
#define ONLCR     0x04
#define OCRNL     0x08
#define ONOCR     0x10
#define ONLRET    0x20

// c_cflag.
#define CBAUD     0x0000100f
#define CSIZE     0x00000030
#define CS5       0x00000000
#define CS6       0x00000010
#define CS7       0x00000020
#define CS8       0x00000030
#define CSTOPB    0x00000040
#define CREAD     0x00000080
#define PARENB    0x00000100
#define PARODD    0x00000200
#define HUPCL     0x00000400
#define CLOCAL    0x00000800

#define B0        0x0
#define B50       0x1
#define B75       0x2
#define B110      0x3
#define B134      0x4
#define B150      0x5
#define B200      0x6
#define B300      0x7
#define B600      0x8
#define B1200     0x9
#define B1800     0xa
#define B2400     0xb
#define B4800     0xc
#define B9600     0xd
#define B19200    0xe
#define B38400    0xf
#define B57600    0x1001
#define B115200   0x1002
#define B230400   0x1003

// c_lflag.
#define ISIG      0x00001
#define ICANON    0x00002
#define ECHO      0x00008
#define ECHOE     0x00010
#define ECHOK     0x00020
#define ECHONL    0x00040
#define NOFLSH    0x00080
#define TOSTOP    0x00100
#define ECHOCTL   0x00200
#define ECHOPRT   0x00400
#define ECHOKE    0x00800
#define IEXTEN    0x08000

// tcsetattr actions and tcflush queues.
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

int tcgetattr(int fd, struct termios* result);
int tcsetattr(int fd, int action, const struct termios* attributes);
int tcflush(int fd, int queue);
void cfmakeraw(struct termios* attributes);
speed_t cfgetospeed(const struct termios* attributes);
speed_t cfgetispeed(const struct termios* attributes);
int cfsetospeed(struct termios* attributes, speed_t speed);
int cfsetispeed(struct termios* attributes, speed_t speed);

#ifdef __cplusplus
}
#endif
