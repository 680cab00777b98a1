#pragma once

// How poll, select and epoll learn that a file may have become ready without
// polling it in a loop. Every file kind whose poll_readiness() can change
// (pipes, terminals, sockets, epoll instances) calls readiness_changed() with
// its readiness key (OpenFile::readiness_key) after any change that may
// alter the answer: data arrived, room appeared, a peer closed, an error.
//
// The kernel's poll machinery installs the listener; without one (early
// boot, host tests) the call does nothing. The listener may be called in
// any context that may wake threads, with the caller's locks held, so it
// must only wake and never block or allocate.
namespace fs {

using ReadinessListener = void (*)(const void* key);

void readiness_changed(const void* key);

// Installs the listener (null removes it). Called once at boot, or by tests.
void set_readiness_listener(ReadinessListener listener);

} // namespace fs
