// dmesg: prints the kernel log. Osprey exports its log ring as the text
// file /proc/dmesg (one record per line), so dmesg copies that file to
// stdout; it needs no special system call. Without /proc/dmesg (for example
// on Linux, or before /proc is mounted) it reports the error and fails.

#include "lib/utility.h"
#include <fcntl.h>
#include <unistd.h>

#define KERNEL_LOG_PATH "/proc/dmesg"

int main(void)
{
    g_program_name = "dmesg";
    int fd = open(KERNEL_LOG_PATH, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report_errno("%s", KERNEL_LOG_PATH);
        return 1;
    }
    bool failed_on_read = false;
    if (!copy_fd(fd, STDOUT_FILENO, &failed_on_read)) {
        report_errno("%s", failed_on_read ? KERNEL_LOG_PATH : "write error");
        close(fd);
        return 1;
    }
    close(fd);
    return 0;
}
