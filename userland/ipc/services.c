// services: lists the names in the capability IPC service registry with
// the pid of the process that registered each (docs/ipc.md).
#include <errno.h>
#include <osprey/ipc.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    struct osprey_service_entry entries[IPC_SERVICE_LIMIT];
    int count = service_list(entries, IPC_SERVICE_LIMIT);
    if (count < 0) {
        fprintf(stderr, "services: %s\n", strerror(errno));
        return 1;
    }
    printf("%-32s %s\n", "NAME", "PID");
    for (int i = 0; i < count && i < (int)IPC_SERVICE_LIMIT; ++i)
        printf("%-32s %d\n", entries[i].name, entries[i].owner_pid);
    return 0;
}
