#pragma once

// The kernel monitor: a line-oriented diagnostic shell on the console.
namespace kshell {

[[noreturn]] void run();

} // namespace kshell
