// echo_service: registers "echo" and answers every request with its own
// payload. Runs until killed; start it in the background (`echo_service &`)
// and call it with echo_client.
#include "lib/IpcClient.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

// Static storage: 4 KiB of payload is too much for the stack of a small program.
osprey::ipc::Request s_request;

} // namespace

// -ffreestanding C++ does not treat main specially: give it C linkage for crt0.
extern "C" int main()
{
    osprey::ipc::Service service;
    if (int error = service.start("echo"); error < 0) {
        fprintf(stderr, "echo_service: cannot register \"echo\": %s\n", strerror(-error));
        return 1;
    }
    printf("echo_service: serving \"echo\" as pid %d\n", getpid());
    fflush(stdout);
    for (;;) {
        int error = service.receive(s_request);
        if (error == -EINTR)
            continue;
        if (error < 0) {
            fprintf(stderr, "echo_service: %s\n", strerror(-error));
            return 1;
        }
        if (s_request.reply_handle >= 0)
            service.reply(s_request, s_request.payload, s_request.length);
    }
}
