// kv <set key value | get key | del key | list>: a client of the "kv"
// service. Prints the reply; exit status 1 for an "error: ..." reply or
// when the service cannot be reached.
#include "lib/IpcClient.h"

#include <stdio.h>
#include <string.h>

// -ffreestanding C++ does not treat main specially: give it C linkage for crt0.
extern "C" int main(int argc, char** argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kv set <key> <value> | get <key> | del <key> | list\n");
        return 2;
    }
    char request[IPC_MAX_PAYLOAD];
    size_t length = 0;
    for (int i = 1; i < argc; ++i) {
        size_t word = strlen(argv[i]);
        if (length + word + 1 > sizeof request) {
            fprintf(stderr, "kv: request too long\n");
            return 2;
        }
        if (i > 1)
            request[length++] = ' ';
        memcpy(request + length, argv[i], word);
        length += word;
    }
    osprey::ipc::ServiceClient kv;
    char reply[IPC_MAX_PAYLOAD + 1];
    uint32_t reply_length = 0;
    int error = kv.connect("kv");
    if (error == 0)
        error = kv.call(request, static_cast<uint32_t>(length), reply, IPC_MAX_PAYLOAD, reply_length, 5000000000ull);
    if (error < 0) {
        fprintf(stderr, "kv: %s\n", strerror(-error));
        return 1;
    }
    reply[reply_length] = '\0';
    if (reply_length)
        printf("%s\n", reply);
    return strncmp(reply, "error:", 6) == 0 ? 1 : 0;
}
