#pragma once

// Garbage collection of sockets kept alive only by messages queued on
// sockets that are themselves unreachable (Linux's net/unix/garbage.c): a
// socket sent over itself, or two sockets each queued on the other, after
// every fd naming them was closed.
//
// A socket is a candidate when every reference to its description comes
// from queued SCM_RIGHTS messages. Candidates whose descriptions are queued
// on a live socket (not a candidate, or a candidate found live) are live;
// the rest are garbage: their queues are emptied, which drops the last
// references and releases them. Runs when a socket is released, an fd of a
// socket is closed, or rights are sent, and only while some socket is in
// flight.
namespace net {

class FileRights;
class UnixSocket;

class Collector {
public:
    // Runs a collection (takes unix_lock()); returns how many sockets it
    // found unreachable.
    static usize collect();

    // unix_lock() held: `rights` were queued on / taken off a socket.
    static void rights_queued_locked(const FileRights& rights);
    static void rights_dequeued_locked(const FileRights& rights);

private:
    static bool mark_queue_live(UnixSocket& socket);
};

void collect_garbage_if_needed();
// References to socket descriptions queued in messages right now.
usize sockets_in_flight();

} // namespace net
