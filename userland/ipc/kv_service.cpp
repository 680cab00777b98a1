// kv_service: registers "kv", a small in-memory key-value store served
// over capability IPC. Requests are text: "set <key> <value>", "get <key>",
// "del <key>", "list"; replies are "ok", the value, the keys one per line,
// or "error: <reason>". At most 64 keys of 31 bytes, values of 255 bytes.
#include "lib/IpcClient.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

constexpr unsigned MAX_KEYS = 64;
constexpr unsigned KEY_MAX = 31;
constexpr unsigned VALUE_MAX = 255;

struct Pair {
    bool used;
    char key[KEY_MAX + 1];
    char value[VALUE_MAX + 1];
};

Pair s_pairs[MAX_KEYS];

Pair* find(const char* key)
{
    for (Pair& pair : s_pairs) {
        if (pair.used && strcmp(pair.key, key) == 0)
            return &pair;
    }
    return nullptr;
}

// Splits off the first space-separated word of `text` (modified in place).
char* next_word(char*& text)
{
    while (*text == ' ')
        ++text;
    char* word = text;
    while (*text && *text != ' ')
        ++text;
    if (*text)
        *text++ = '\0';
    return word;
}

// Answers `request` (NUL-terminated, modified) into `reply`.
void handle(char* request, char* reply, size_t capacity)
{
    char* rest = request;
    char* command = next_word(rest);
    if (strcmp(command, "list") == 0) {
        size_t length = 0;
        reply[0] = '\0';
        for (const Pair& pair : s_pairs) {
            if (pair.used && length + strlen(pair.key) + 2 < capacity)
                length += (size_t)snprintf(reply + length, capacity - length, "%s%s", length ? "\n" : "", pair.key);
        }
        return;
    }
    char* key = next_word(rest);
    if (!*key || strlen(key) > KEY_MAX) {
        snprintf(reply, capacity, "error: a key of 1 to %u bytes is needed", KEY_MAX);
        return;
    }
    Pair* pair = find(key);
    if (strcmp(command, "get") == 0) {
        snprintf(reply, capacity, "%s", pair ? pair->value : "error: no such key");
    } else if (strcmp(command, "del") == 0) {
        if (pair)
            pair->used = false;
        snprintf(reply, capacity, "%s", pair ? "ok" : "error: no such key");
    } else if (strcmp(command, "set") == 0) {
        while (*rest == ' ')
            ++rest;
        if (strlen(rest) > VALUE_MAX) {
            snprintf(reply, capacity, "error: values hold at most %u bytes", VALUE_MAX);
            return;
        }
        for (unsigned i = 0; !pair && i < MAX_KEYS; ++i) {
            if (!s_pairs[i].used)
                pair = &s_pairs[i];
        }
        if (!pair) {
            snprintf(reply, capacity, "error: the store is full (%u keys)", MAX_KEYS);
            return;
        }
        pair->used = true;
        snprintf(pair->key, sizeof pair->key, "%s", key);
        snprintf(pair->value, sizeof pair->value, "%s", rest);
        snprintf(reply, capacity, "ok");
    } else {
        snprintf(reply, capacity, "error: unknown command (set, get, del, list)");
    }
}

} // namespace

namespace {

// Static storage: 4 KiB of payload is too much for the stack of a small program.
osprey::ipc::Request s_request;
char s_reply[IPC_MAX_PAYLOAD];

} // namespace

// -ffreestanding C++ does not treat main specially: give it C linkage for crt0.
extern "C" int main()
{
    osprey::ipc::Service service;
    if (int error = service.start("kv"); error < 0) {
        fprintf(stderr, "kv_service: cannot register \"kv\": %s\n", strerror(-error));
        return 1;
    }
    printf("kv_service: serving \"kv\" as pid %d\n", getpid());
    fflush(stdout);
    for (;;) {
        int error = service.receive(s_request);
        if (error == -EINTR)
            continue;
        if (error < 0) {
            fprintf(stderr, "kv_service: %s\n", strerror(-error));
            return 1;
        }
        if (s_request.reply_handle < 0)
            continue;
        handle(s_request.payload, s_reply, sizeof s_reply);
        service.reply(s_request, s_reply, static_cast<uint32_t>(strlen(s_reply)));
    }
}
