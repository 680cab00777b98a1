// Ring-3 checks of capability IPC (docs/ipc.md): every rule, and every
// forbidden case by its exact error. Prints "ok <what>" or "FAIL <what>"
// per check and "ipc_test: <n> checks, <m> failed" last; exits 1 on any
// failure. tests/system/ipc.py runs it.
//   ipc_test                 all groups
//   ipc_test exec-check A B  (run by the exec group) handle A must have
//                            survived execve, handle B (IPC_CLOEXEC) not
#include <errno.h>
#include <osprey/ipc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// The limits as ints, for loops over ints.
#define QUEUE_LIMIT   ((int)IPC_QUEUE_LIMIT)
#define HANDLE_LIMIT  ((int)IPC_HANDLE_LIMIT)
#define SERVICE_LIMIT ((int)IPC_SERVICE_LIMIT)

static int s_checks;
static int s_failures;

static void check(const char* what, int ok)
{
    s_checks++;
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        s_failures++;
}

// A call that must fail with `expected`.
static void check_error(const char* what, int result, int expected)
{
    int error = errno;
    char line[160];
    if (result == -1 && error == expected) {
        snprintf(line, sizeof line, "%s: %s", what, strerror(expected));
        check(line, 1);
    } else {
        snprintf(line, sizeof line, "%s: expected %s, got %d (%s)", what, strerror(expected), result,
            result == -1 ? strerror(error) : "success");
        check(line, 0);
    }
}

static void check_ok(const char* what, int result)
{
    char line[160];
    if (result >= 0)
        snprintf(line, sizeof line, "%s", what);
    else
        snprintf(line, sizeof line, "%s: %s", what, strerror(errno));
    check(line, result >= 0);
}

static void sleep_ms(long ms)
{
    struct timespec duration = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&duration, 0);
}

static struct osprey_ipc_message outgoing(uint32_t type, const void* payload, uint32_t length)
{
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.type = type;
    message.payload = (void*)payload;
    message.payload_length = length;
    return message;
}

static struct osprey_ipc_message incoming(void* buffer, uint32_t capacity)
{
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.payload = buffer;
    message.payload_capacity = capacity;
    return message;
}

static int send_text(int handle, const char* text, uint64_t timeout_ns)
{
    struct osprey_ipc_message message = outgoing(IPC_MSG_DATA, text, (uint32_t)strlen(text));
    return port_send(handle, &message, timeout_ns);
}

static int send_cap(int handle, int cap)
{
    struct osprey_ipc_message message = outgoing(IPC_MSG_DATA, "cap", 3);
    message.cap_count = 1;
    message.caps[0] = cap;
    return port_send(handle, &message, 0);
}

static uint32_t rights_of(int handle)
{
    struct osprey_cap_info info;
    if (cap_info(handle, &info) != 0)
        return 0xffffffffu;
    return info.rights;
}

// Waits for `pid`; its exit status, or -1.
static int child_status(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_basics(void)
{
    int port = port_create(0);
    check_ok("port_create", port);
    struct osprey_cap_info info;
    check_ok("cap_info", cap_info(port, &info));
    check("cap_info: a port", info.object_type == IPC_OBJECT_PORT);
    check("port_create: SEND RECEIVE DUPLICATE TRANSFER DIMINISH", info.rights == IPC_RIGHTS_PORT_CREATOR);
    check("port_create: no expiry", info.expiry_ns == 0);

    check_ok("port_send: Data", send_text(port, "hello", 0));
    char buffer[IPC_MAX_PAYLOAD];
    struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
    check_ok("port_receive", port_receive(port, &message, 0));
    check("message: sender pid filled in by the kernel", message.sender == getpid());
    check("message: type Data", message.type == IPC_MSG_DATA);
    check("message: payload", message.payload_length == 5 && memcmp(buffer, "hello", 5) == 0);
    check("message: no capabilities, no reply handle", message.cap_count == 0 && message.reply_handle == IPC_NO_HANDLE);

    struct osprey_ipc_message notification = outgoing(IPC_MSG_NOTIFICATION, 0, 0);
    check_ok("port_send: Notification, empty payload", port_send(port, &notification, 0));
    message = incoming(buffer, sizeof buffer);
    check("port_receive: Notification",
        port_receive(port, &message, 0) == 0 && message.type == IPC_MSG_NOTIFICATION && message.payload_length == 0);
    struct osprey_ipc_message bad_type = outgoing(7, 0, 0);
    check_error("port_send: unknown type", port_send(port, &bad_type, 0), EINVAL);

    message = incoming(buffer, sizeof buffer);
    check_error("port_receive: empty, timeout 0", port_receive(port, &message, 0), EAGAIN);
    check_error("port_receive: empty, timeout 30 ms", port_receive(port, &message, 30000000ull), ETIMEDOUT);

    int full = IPC_MAX_PAYLOAD;
    static char big[IPC_MAX_PAYLOAD + 1];
    memset(big, 'x', sizeof big);
    struct osprey_ipc_message largest = outgoing(IPC_MSG_DATA, big, (uint32_t)full);
    check_ok("port_send: 4096-byte payload", port_send(port, &largest, 0));
    struct osprey_ipc_message oversized = outgoing(IPC_MSG_DATA, big, (uint32_t)full + 1);
    check_error("port_send: 4097-byte payload", port_send(port, &oversized, 0), EMSGSIZE);
    struct osprey_ipc_message too_many = outgoing(IPC_MSG_DATA, "x", 1);
    too_many.cap_count = IPC_MAX_CAPS + 1;
    check_error("port_send: 9 capabilities", port_send(port, &too_many, 0), E2BIG);
    char small[16];
    message = incoming(small, sizeof small);
    check_error("port_receive: buffer smaller than the message", port_receive(port, &message, 0), EMSGSIZE);
    message = incoming(buffer, sizeof buffer);
    check("port_receive: the message stayed queued",
        port_receive(port, &message, 0) == 0 && message.payload_length == IPC_MAX_PAYLOAD);

    check_error("port_send: bad message pointer", port_send(port, (void*)16, 0), EFAULT);
    struct osprey_ipc_message wild = outgoing(IPC_MSG_DATA, (void*)0xffff800000000000ull, 64);
    check_error("port_send: kernel payload pointer", port_send(port, &wild, 0), EFAULT);
    check_error("cap_info: bad pointer", cap_info(port, (void*)8), EFAULT);

    check_ok("cap_close", cap_close(port));
    check_error("port_send: closed handle", send_text(port, "x", 0), EBADF);
    check_error("cap_close: twice", cap_close(port), EBADF);
    check_error("cap_info: closed handle", cap_info(port, &info), EBADF);
    check_error("port_send: handle -1", send_text(-1, "x", 0), EBADF);
    check_error("port_send: handle 0", send_text(0, "x", 0), EBADF);
    check_error("cap_close: handle 0x7fffffff", cap_close(0x7fffffff), EBADF);
    check_error("port_create: unknown flag", port_create(0x80), EINVAL);
}

static void test_rights(void)
{
    int port = port_create(0);
    char buffer[64];
    struct osprey_ipc_message message;

    int receive_only = cap_diminish(port, IPC_RIGHT_RECEIVE, 0, 0);
    check_ok("cap_diminish to RECEIVE", receive_only);
    check("cap_diminish: a new handle number", receive_only != port);
    check("cap_diminish: rights as asked", rights_of(receive_only) == IPC_RIGHT_RECEIVE);
    check_error("port_send without SEND", send_text(receive_only, "x", 0), EACCES);
    check_error("cap_duplicate without DUPLICATE", cap_duplicate(receive_only, 0), EACCES);
    check_error("cap_diminish without DIMINISH", cap_diminish(receive_only, 0, 0, 0), EACCES);

    int send_only = cap_diminish(port, IPC_RIGHT_SEND, 0, 0);
    message = incoming(buffer, sizeof buffer);
    check_error("port_receive without RECEIVE", port_receive(send_only, &message, 0), EACCES);
    struct osprey_ipc_wait_item item = { send_only, IPC_READABLE, 0 };
    check_error("port_wait READABLE without RECEIVE", port_wait(&item, 1, 0), EACCES);

    int send_diminish = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_DIMINISH, 0, 0);
    check_error(
        "cap_diminish to a superset", cap_diminish(send_diminish, IPC_RIGHT_SEND | IPC_RIGHT_RECEIVE, 0, 0), EPERM);
    check_error("cap_diminish adding DUPLICATE",
        cap_diminish(send_diminish, IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE, 0, 0), EPERM);
    check_error("cap_diminish: bits that are no right", cap_diminish(port, 0x100, 0, 0), EINVAL);
    int same = cap_diminish(send_diminish, IPC_RIGHT_SEND | IPC_RIGHT_DIMINISH, 0, 0);
    check("cap_diminish to the same set is allowed",
        same >= 0 && rights_of(same) == (IPC_RIGHT_SEND | IPC_RIGHT_DIMINISH));
    int none = cap_diminish(send_diminish, 0, 0, 0);
    check("cap_diminish to no rights", none >= 0 && rights_of(none) == 0);
    check_error("a handle with no rights cannot send", send_text(none, "x", 0), EACCES);

    int duplicate = cap_duplicate(port, 0);
    check("cap_duplicate keeps the rights", duplicate >= 0 && rights_of(duplicate) == IPC_RIGHTS_PORT_CREATOR);
    struct osprey_cap_info a, b;
    cap_info(port, &a);
    cap_info(duplicate, &b);
    check("cap_duplicate: the same port", a.object_id == b.object_id && duplicate != port);

    // TRANSFER: a handle travels only with it, and never with RECEIVE.
    int no_transfer = cap_diminish(port, IPC_RIGHT_SEND, 0, 0);
    check_error("port_send carrying a handle without TRANSFER", send_cap(port, no_transfer), EACCES);
    check("the refused capability stayed with the sender", rights_of(no_transfer) == IPC_RIGHT_SEND);
    check_error("port_send carrying a RECEIVE handle", send_cap(port, duplicate), EINVAL);
    int transferable = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 0, 0);
    struct osprey_ipc_message twice = outgoing(IPC_MSG_DATA, "x", 1);
    twice.cap_count = 2;
    twice.caps[0] = transferable;
    twice.caps[1] = transferable;
    check_error("port_send listing one handle twice", port_send(port, &twice, 0), EINVAL);
    struct osprey_ipc_message mixed = outgoing(IPC_MSG_DATA, "x", 1);
    mixed.cap_count = 2;
    mixed.caps[0] = transferable;
    mixed.caps[1] = no_transfer;
    check_error("port_send with one bad capability among good ones", port_send(port, &mixed, 0), EACCES);
    check("all or nothing: the good capability stayed too",
        rights_of(transferable) == (IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER));

    check_ok("port_send carrying a SEND|TRANSFER handle", send_cap(port, transferable));
    struct osprey_cap_info info;
    check_error("the sent capability left the sender's table", cap_info(transferable, &info), EBADF);
    message = incoming(buffer, sizeof buffer);
    check_ok("port_receive of a capability", port_receive(port, &message, 0));
    check("the capability arrives as a new handle with the same rights",
        message.cap_count == 1 && rights_of(message.caps[0]) == (IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER));
    cap_info(message.caps[0], &info);
    check("the received handle names the same port", info.object_id == a.object_id);
    int received = message.caps[0];
    check_ok("the received handle works", send_text(received, "via received", 0));
    message = incoming(buffer, sizeof buffer);
    check("its message arrives", port_receive(port, &message, 0) == 0 && message.payload_length == 12);

    // Expiry: every use fails after it, close and info still work.
    int expiring = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_DIMINISH, 50000000ull, 0);
    check_ok("cap_diminish with a 50 ms lifetime", expiring);
    cap_info(expiring, &info);
    check("cap_info shows the expiry", info.expiry_ns != 0);
    int later = cap_diminish(expiring, IPC_RIGHT_SEND, 10000000000ull, 0);
    struct osprey_cap_info later_info;
    cap_info(later, &later_info);
    check("a diminished copy never outlives the original", later_info.expiry_ns == info.expiry_ns);
    check_ok("an unexpired handle works", send_text(expiring, "x", 0));
    sleep_ms(100);
    check_error("port_send on an expired handle", send_text(expiring, "x", 0), ETIME);
    check_error("cap_diminish of an expired handle", cap_diminish(expiring, IPC_RIGHT_SEND, 0, 0), ETIME);
    check_ok("cap_info of an expired handle", cap_info(expiring, &info));
    check_ok("cap_close of an expired handle", cap_close(expiring));
    message = incoming(buffer, sizeof buffer);
    port_receive(port, &message, 0);

    int handles[]
        = { receive_only, send_only, send_diminish, same, none, duplicate, no_transfer, received, later, port };
    for (unsigned i = 0; i < sizeof handles / sizeof handles[0]; ++i)
        cap_close(handles[i]);
}

static void test_queue(void)
{
    int port = port_create(0);
    char buffer[64];
    int sent = 0;
    for (int i = 0; i < QUEUE_LIMIT; ++i) {
        char text[16];
        snprintf(text, sizeof text, "m%d", i);
        sent += send_text(port, text, 0) == 0;
    }
    check("64 messages fit the queue", sent == QUEUE_LIMIT);
    check_error("the 65th, timeout 0: queue full", send_text(port, "over", 0), EAGAIN);
    check_error("the 65th, timeout 30 ms", send_text(port, "over", 30000000ull), ETIMEDOUT);
    struct osprey_ipc_wait_item item = { port, IPC_WRITABLE | IPC_READABLE, 0 };
    check(
        "port_wait: full queue is readable, not writable", port_wait(&item, 1, 0) == 1 && item.revents == IPC_READABLE);
    int in_order = 1;
    for (int i = 0; i < QUEUE_LIMIT; ++i) {
        struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
        char expected[16];
        snprintf(expected, sizeof expected, "m%d", i);
        if (port_receive(port, &message, 0) != 0 || message.payload_length != strlen(expected)
            || memcmp(buffer, expected, message.payload_length) != 0)
            in_order = 0;
        if (i == 0)
            check_ok("after one receive a send fits again", send_text(port, "m64", 0));
    }
    check("messages come out in the order they went in", in_order);
    cap_close(port);

    // A blocked sender wakes when room appears.
    port = port_create(0);
    for (int i = 0; i < QUEUE_LIMIT; ++i)
        send_text(port, "fill", 0);
    pid_t child = fork();
    if (child == 0)
        _exit(send_text(port, "late", IPC_NO_TIMEOUT) == 0 ? 0 : 1);
    sleep_ms(50);
    struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
    port_receive(port, &message, 0);
    check("a sender blocked on a full queue wakes when room appears", child_status(child) == 0);
    cap_close(port);
}

static void test_lifetimes(void)
{
    char buffer[64];
    struct osprey_ipc_message message;

    // Last receiver closed: senders fail at once, blocked ones wake.
    int port = port_create(0);
    int sender = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE, 0, 0);
    int receiver = cap_diminish(port, IPC_RIGHT_RECEIVE, 0, 0);
    cap_close(port);
    for (int i = 0; i < QUEUE_LIMIT; ++i)
        send_text(sender, "fill", 0);
    pid_t child = fork();
    if (child == 0)
        _exit(send_text(sender, "blocked", IPC_NO_TIMEOUT) == -1 && errno == EPIPE ? 0 : 1);
    sleep_ms(50);
    cap_close(receiver);
    check("closing the last receiver wakes a blocked sender with EPIPE", child_status(child) == 0);
    check_error("port_send after the last receiver closed", send_text(sender, "x", 0), EPIPE);
    cap_close(sender);

    // Last sender closed: a blocked receiver gets the queued messages, then wakes with ECONNRESET.
    port = port_create(0);
    sender = cap_diminish(port, IPC_RIGHT_SEND, 0, 0);
    receiver = cap_diminish(port, IPC_RIGHT_RECEIVE | IPC_RIGHT_DUPLICATE, 0, 0);
    cap_close(port);
    child = fork();
    if (child == 0) {
        message = incoming(buffer, sizeof buffer);
        int first = port_receive(receiver, &message, IPC_NO_TIMEOUT);
        message = incoming(buffer, sizeof buffer);
        int second = port_receive(receiver, &message, IPC_NO_TIMEOUT);
        _exit(first == 0 && second == -1 && errno == ECONNRESET ? 0 : 1);
    }
    send_text(sender, "last words", 0);
    sleep_ms(50);
    cap_close(sender);
    check("closing the last sender: queued message first, then ECONNRESET", child_status(child) == 0);
    cap_close(receiver);
}

static void on_signal(int signal)
{
    (void)signal;
}

static void test_interrupt(void)
{
    int port = port_create(0);
    pid_t child = fork();
    if (child == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_signal;
        sigaction(SIGUSR1, &action, 0);
        char buffer[16];
        struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
        _exit(port_receive(port, &message, IPC_NO_TIMEOUT) == -1 && errno == EINTR ? 0 : 1);
    }
    sleep_ms(50);
    kill(child, SIGUSR1);
    check("a signal interrupts a blocked port_receive with EINTR", child_status(child) == 0);
    child = fork();
    if (child == 0) {
        struct osprey_ipc_message request = outgoing(IPC_MSG_REQUEST, "q", 1);
        char buffer[16];
        struct osprey_ipc_message reply = incoming(buffer, sizeof buffer);
        port_call(port, &request, &reply, IPC_NO_TIMEOUT);
        _exit(1);
    }
    sleep_ms(50);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    check("SIGKILL ends a process blocked in port_call", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    char buffer[16];
    struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
    check_ok("the dead caller's request is still queued", port_receive(port, &message, 0));
    check("it carries a reply handle", message.reply_handle != IPC_NO_HANDLE);
    struct osprey_ipc_message answer = outgoing(IPC_MSG_REPLY, "late", 4);
    check_error("port_reply to a caller that died", port_reply(message.reply_handle, &answer), EPIPE);
    struct osprey_cap_info info;
    check_error("port_reply closed the reply handle", cap_info(message.reply_handle, &info), EBADF);
    cap_close(port);
}

static void test_call(void)
{
    int port = port_create(0);
    pid_t server = fork();
    if (server == 0) {
        for (int i = 0; i < 2; ++i) {
            char buffer[64];
            struct osprey_ipc_message request = incoming(buffer, sizeof buffer);
            if (port_receive(port, &request, IPC_NO_TIMEOUT) != 0 || request.type != IPC_MSG_REQUEST)
                _exit(1);
            if (i == 1) {
                cap_close(request.reply_handle); // hang up without answering
                continue;
            }
            for (uint32_t j = 0; j < request.payload_length; ++j)
                buffer[j] = (char)(buffer[j] >= 'a' && buffer[j] <= 'z' ? buffer[j] - 32 : buffer[j]);
            struct osprey_ipc_message reply = outgoing(IPC_MSG_REPLY, buffer, request.payload_length);
            if (port_reply(request.reply_handle, &reply) != 0)
                _exit(2);
        }
        _exit(0);
    }
    struct osprey_ipc_message request = outgoing(IPC_MSG_DATA, "shout", 5);
    char buffer[64];
    struct osprey_ipc_message reply = incoming(buffer, sizeof buffer);
    check_ok("port_call", port_call(port, &request, &reply, 2000000000ull));
    check("port_call: the reply",
        reply.type == IPC_MSG_REPLY && reply.payload_length == 5 && memcmp(buffer, "SHOUT", 5) == 0);
    check("port_call: the reply names the server", reply.sender == server);
    reply = incoming(buffer, sizeof buffer);
    check_error(
        "port_call: the server closes the reply handle", port_call(port, &request, &reply, 2000000000ull), ECONNRESET);
    check("server exited cleanly", child_status(server) == 0);
    reply = incoming(buffer, sizeof buffer);
    check_error("port_call: nobody answers within 30 ms", port_call(port, &request, &reply, 30000000ull), ETIMEDOUT);
    cap_close(port);
}

static void test_transfer_between_processes(void)
{
    // The child sends us a capability over `mailbox`; we use it.
    int mailbox = port_create(0);
    pid_t child = fork();
    if (child == 0) {
        int own = port_create(0);
        int gift = cap_diminish(own, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 0, 0);
        if (send_cap(mailbox, gift) != 0)
            _exit(1);
        char buffer[64];
        struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
        if (port_receive(own, &message, 2000000000ull) != 0)
            _exit(2);
        _exit(message.sender == getppid() && message.payload_length == 6 ? 0 : 3);
    }
    char buffer[64];
    struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
    check("a capability arrives from another process",
        port_receive(mailbox, &message, 2000000000ull) == 0 && message.cap_count == 1 && message.sender == child);
    check_ok("it reaches the other process's port", send_text(message.caps[0], "thanks", 0));
    check("the other process received it", child_status(child) == 0);
    cap_close(message.caps[0]);

    // A receiver dying with capabilities in flight: they are closed, not leaked.
    int tracked = port_create(0);
    int tracked_receiver = cap_diminish(tracked, IPC_RIGHT_RECEIVE, 0, 0);
    int tracked_sender = cap_diminish(tracked, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 0, 0);
    cap_close(tracked);
    int doomed = port_create(0);
    int doomed_sender = cap_diminish(doomed, IPC_RIGHT_SEND, 0, 0);
    int doomed_receiver = cap_diminish(doomed, IPC_RIGHT_RECEIVE | IPC_RIGHT_DUPLICATE, 0, 0);
    cap_close(doomed);
    int pipe_fds[2];
    pipe(pipe_fds);
    child = fork();
    if (child == 0) {
        char byte;
        read(pipe_fds[0], &byte, 1); // dies without receiving
        _exit(0);
    }
    cap_close(doomed_receiver);
    check_ok("send a capability to a process that will die", send_cap(doomed_sender, tracked_sender));
    write(pipe_fds[1], "x", 1);
    check("the receiver died", child_status(child) == 0);
    message = incoming(buffer, sizeof buffer);
    check_error("the in-flight capability was closed: its port has no sender left",
        port_receive(tracked_receiver, &message, 1000000000ull), ECONNRESET);
    check_error("the dead receiver's port refuses messages", send_text(doomed_sender, "x", 0), EPIPE);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    cap_close(tracked_receiver);
    cap_close(doomed_sender);
    cap_close(mailbox);
}

static void test_wait(void)
{
    int first = port_create(0);
    int second = port_create(0);
    struct osprey_ipc_wait_item items[2] = { { first, IPC_READABLE, 0 }, { second, IPC_READABLE, 0 } };
    check("port_wait: nothing ready, 20 ms: 0", port_wait(items, 2, 20000000ull) == 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(30);
        _exit(send_text(second, "wake", 0) == 0 ? 0 : 1);
    }
    int ready = port_wait(items, 2, IPC_NO_TIMEOUT);
    check("port_wait wakes for a message on the second handle",
        ready == 1 && items[0].revents == 0 && items[1].revents == IPC_READABLE);
    check("(child sent it)", child_status(child) == 0);
    check_error("port_wait: count 0", port_wait(items, 0, 0), EINVAL);
    check_error("port_wait: count 65", port_wait(items, IPC_WAIT_MAX + 1, 0), EINVAL);
    items[0].events = 0x80;
    check_error("port_wait: unknown event bit", port_wait(items, 2, 0), EINVAL);
    items[0].events = IPC_READABLE;
    items[0].handle = 12345;
    check_error("port_wait: a bad handle", port_wait(items, 2, 0), EBADF);
    cap_close(first);
    cap_close(second);
}

static void test_registry(void)
{
    int port = port_create(0);
    check_ok("service_register", service_register(port, "test.registry"));
    check_error("service_register: a name taken", service_register(port, "test.registry"), EEXIST);
    check_error("service_register: empty name", service_register(port, ""), EINVAL);
    check_error("service_register: a space in the name", service_register(port, "bad name"), EINVAL);
    check_error(
        "service_register: 32-byte name", service_register(port, "abcdefghijklmnopqrstuvwxyz012345"), ENAMETOOLONG);
    check_error("service_register: bad name pointer", service_register(port, (const char*)8), EFAULT);
    int send_only = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE | IPC_RIGHT_TRANSFER, 0, 0);
    check_error("service_register without RECEIVE", service_register(send_only, "test.nope"), EACCES);
    int looked_up = service_lookup("test.registry", 0);
    check_ok("service_lookup", looked_up);
    check("service_lookup gives SEND only", rights_of(looked_up) == IPC_RIGHT_SEND);
    check_error("service_lookup: unknown name", service_lookup("test.missing", 0), ENOENT);
    check_ok("a looked-up handle sends to the service", send_text(looked_up, "hi", 0));
    char buffer[16];
    struct osprey_ipc_message message = incoming(buffer, sizeof buffer);
    check("the service receives it", port_receive(port, &message, 0) == 0 && message.payload_length == 2);

    struct osprey_service_entry entries[IPC_SERVICE_LIMIT];
    int count = service_list(entries, IPC_SERVICE_LIMIT);
    int listed = 0;
    for (int i = 0; i < count && i < SERVICE_LIMIT; ++i)
        listed |= strcmp(entries[i].name, "test.registry") == 0 && entries[i].owner_pid == getpid();
    check("service_list shows the name and its owner", listed);

    pid_t child = fork();
    if (child == 0)
        _exit(service_withdraw("test.registry") == -1 && errno == EPERM ? 0 : 1);
    check("service_withdraw by another process: EPERM", child_status(child) == 0);
    check_ok("service_withdraw by the owner", service_withdraw("test.registry"));
    check_error("service_lookup after withdraw", service_lookup("test.registry", 0), ENOENT);
    check_error("service_withdraw: unknown name", service_withdraw("test.registry"), ENOENT);

    child = fork();
    if (child == 0) {
        int own = port_create(0);
        _exit(service_register(own, "test.dead") == 0 ? 0 : 1);
    }
    check("a child registers a name and exits", child_status(child) == 0);
    check_error("a dead owner's names are removed", service_lookup("test.dead", 0), ENOENT);
    cap_close(send_only);
    cap_close(looked_up);
    cap_close(port);
}

static void test_fork_exec(const char* self)
{
    int inherited = port_create(0);                                     // carries DUPLICATE
    int private_handle = cap_diminish(inherited, IPC_RIGHT_SEND, 0, 0); // no DUPLICATE
    int close_on_exec = cap_duplicate(inherited, IPC_CLOEXEC);
    pid_t child = fork();
    if (child == 0) {
        struct osprey_cap_info info;
        int ok = cap_info(inherited, &info) == 0 && info.rights == IPC_RIGHTS_PORT_CREATOR;
        int guessed = cap_info(private_handle, &info) == -1 && errno == EBADF;
        _exit(ok && guessed ? 0 : 1);
    }
    check("fork: handles with DUPLICATE are inherited under the same number; others are not (EBADF)",
        child_status(child) == 0);

    child = fork();
    if (child == 0) {
        char keep[16], drop[16];
        snprintf(keep, sizeof keep, "%d", inherited);
        snprintf(drop, sizeof drop, "%d", close_on_exec);
        char* argv[] = { (char*)self, "exec-check", keep, drop, 0 };
        execv(self, argv);
        _exit(9);
    }
    check("execve keeps handles, closes IPC_CLOEXEC ones", child_status(child) == 0);

    // Guessing: a process sees none of another's handles.
    int own = port_create(0);
    child = fork();
    if (child == 0) {
        int fresh = port_create(0);
        struct osprey_cap_info info;
        int hits = 0;
        // The parent's private handle and a sweep of small numbers.
        hits += cap_info(private_handle, &info) == 0;
        for (int h = 1; h < 4096; ++h) {
            if (h != fresh && h != inherited && h != close_on_exec && h != own && cap_info(h, &info) == 0) {
                printf("  handle %#x answers in the child (rights %#x)\n", h, info.rights);
                hits++;
            }
        }
        _exit(hits == 0 ? 0 : 1);
    }
    check("another process's handle numbers give EBADF", child_status(child) == 0);
    cap_close(own);
    cap_close(inherited);
    cap_close(private_handle);
    cap_close(close_on_exec);
}

static void test_table_limit(void)
{
    int port = port_create(0);
    int handles[IPC_HANDLE_LIMIT];
    int made = 0;
    int result;
    while (made < HANDLE_LIMIT && (result = cap_duplicate(port, 0)) >= 0)
        handles[made++] = result;
    check_error("cap_duplicate with the table full", result, EMFILE);
    check_error("port_create with the table full", port_create(0), EMFILE);
    char line[80];
    snprintf(line, sizeof line, "the table holds %d handles (%d duplicates + the port)", IPC_HANDLE_LIMIT, made);
    check(line, made == HANDLE_LIMIT - 1);
    for (int i = 0; i < made; ++i)
        cap_close(handles[i]);
    int again = cap_duplicate(port, 0);
    check("closed slots are reused under new numbers", again >= 0 && again != handles[0]);
    cap_close(again);
    cap_close(port);
}

static void test_receive_needs_room(void)
{
    int port = port_create(0);
    int first = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 50000000000ull, IPC_CLOEXEC);
    int second = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 0, 0);
    struct osprey_cap_info sent_info;
    cap_info(first, &sent_info);
    check("cap_info shows IPC_CLOEXEC", sent_info.flags == IPC_CLOEXEC);
    struct osprey_ipc_message message = outgoing(IPC_MSG_DATA, "two", 3);
    message.cap_count = 2;
    message.caps[0] = first;
    message.caps[1] = second;
    check_ok("send two capabilities", port_send(port, &message, 0));
    // Fill the table but for one slot: the message needs two.
    int fillers[IPC_HANDLE_LIMIT];
    int made = 0;
    int result;
    while (made < HANDLE_LIMIT && (result = cap_duplicate(port, 0)) >= 0)
        fillers[made++] = result;
    cap_close(fillers[--made]);
    char buffer[16];
    message = incoming(buffer, sizeof buffer);
    check_error("port_receive with no room for the capabilities", port_receive(port, &message, 0), EMFILE);
    cap_close(fillers[--made]);
    message = incoming(buffer, sizeof buffer);
    check("after making room the same message arrives",
        port_receive(port, &message, 0) == 0 && message.cap_count == 2 && message.payload_length == 3);
    struct osprey_cap_info received_info;
    cap_info(message.caps[0], &received_info);
    check("a transferred handle keeps its rights, expiry and flags",
        received_info.rights == sent_info.rights && received_info.expiry_ns == sent_info.expiry_ns
            && received_info.flags == IPC_CLOEXEC);
    cap_close(message.caps[0]);
    cap_close(message.caps[1]);
    while (made > 0)
        cap_close(fillers[--made]);
    cap_close(port);
}

static int exec_check(int argc, char** argv)
{
    if (argc < 4)
        return 2;
    struct osprey_cap_info info;
    int kept = cap_info(atoi(argv[2]), &info) == 0;
    int closed = cap_info(atoi(argv[3]), &info) == -1 && errno == EBADF;
    return kept && closed ? 0 : 1;
}

int main(int argc, char** argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
        return exec_check(argc, argv);
    setvbuf(stdout, 0, _IOLBF, 0);
    test_basics();
    test_rights();
    test_queue();
    test_lifetimes();
    test_interrupt();
    test_call();
    test_transfer_between_processes();
    test_wait();
    test_registry();
    test_fork_exec(argv[0]);
    test_table_limit();
    test_receive_needs_room();
    printf("ipc_test: %d checks, %d failed\n", s_checks, s_failures);
    return s_failures ? 1 : 0;
}
