// echo_client <words...>: sends the words to the "echo" service and prints
// the reply. Exit status 1 with the error when the service is not there.
#include "lib/IpcClient.h"

#include <stdio.h>
#include <string.h>

// -ffreestanding C++ does not treat main specially: give it C linkage for crt0.
extern "C" int main(int argc, char** argv)
{
    char request[IPC_MAX_PAYLOAD];
    size_t length = 0;
    for (int i = 1; i < argc; ++i) {
        size_t word = strlen(argv[i]);
        if (length + word + 1 > sizeof request) {
            fprintf(stderr, "echo_client: message too long\n");
            return 2;
        }
        if (i > 1)
            request[length++] = ' ';
        memcpy(request + length, argv[i], word);
        length += word;
    }
    osprey::ipc::ServiceClient echo;
    char reply[IPC_MAX_PAYLOAD + 1];
    uint32_t reply_length = 0;
    int error = echo.connect("echo");
    if (error == 0)
        error = echo.call(request, static_cast<uint32_t>(length), reply, IPC_MAX_PAYLOAD, reply_length, 5000000000ull);
    if (error < 0) {
        fprintf(stderr, "echo_client: %s\n", strerror(-error));
        return 1;
    }
    reply[reply_length] = '\0';
    printf("%s\n", reply);
    return 0;
}
