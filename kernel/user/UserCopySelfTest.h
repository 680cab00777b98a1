#pragma once

// In-kernel self-test of the user-copy routines (UserCopySelfTest.cpp).
// Prints its checks on the console; returns whether all passed. Must run on
// a kernel thread with no user program.

namespace user {

bool run_user_copy_self_test();

} // namespace user
