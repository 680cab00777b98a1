#pragma once

// The process table, shared by the files of kernel/proc that walk it
// (Process.cpp: lifetime; Groups.cpp: process groups and sessions).
// g_table_lock (a spinlock) guards the slots and, in every process, the
// fields Process.h says it guards. Nothing is allocated or freed under it.
#include <kernel/lib/Spinlock.h>
#include <kernel/proc/Process.h>
#include <kernel/sched/WaitQueue.h>

namespace proc {

extern Spinlock g_table_lock;
extern Process* g_table[MAX_PROCESSES]; // guarded by g_table_lock
// Woken when a child ends, stops or continues (waiters re-check m_child_events).
extern sched::WaitQueue g_child_events;

// The process (alive or zombie) with `pid`, or null. Under g_table_lock.
Process* find_locked(i32 pid);

} // namespace proc
