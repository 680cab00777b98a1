#pragma once

// Names and decoders for CPU exceptions, for the panic screen: the name and
// mnemonic of each of the 32 architectural vectors, what its error code means
// and how to print it, and the RFLAGS bits in words. Pure functions of their
// arguments, so they compile on the host and are unit-tested there; the
// handler that reads the registers lives in kernel/arch/x86_64/Exceptions.cpp.
#include <kernel/lib/Format.h>

namespace fault {

inline constexpr u64 EXCEPTION_COUNT = 32;

// How to read the error code a vector pushes (Intel SDM vol. 3A, 6.13 and
// the per-vector entries of 6.15).
enum class ErrorCodeKind : u8 {
    None,              // the CPU pushes no error code
    Zero,              // pushed, always zero (#DF, #AC)
    Selector,          // segment selector format (#TS, #NP, #SS, #GP)
    PageFault,         // page-fault bits (#PF)
    ControlProtection, // CET violation kind (#CP)
    Raw,               // printed as a number (#VC exit code, #SX)
};

// "Page Fault (#PF)"; vectors >= 32 give "External Interrupt".
StringView exception_name(u64 vector);
ErrorCodeKind error_code_kind(u64 vector);
// Whether the CPU pushes an error code for the vector (InterruptStubs.S
// pushes a zero for the others).
bool has_error_code(u64 vector);

// Writes the meaning of `error_code`, e.g. "not-present page, read,
// supervisor mode" for a #PF or "GDT index 7, selector 0x38" for a #GP.
void describe_error_code(FormatSink& sink, u64 vector, u64 error_code);

// Writes the set flags of RFLAGS by name, low bit first, e.g. "PF ZF IF RF",
// and "IOPL=3" when the I/O privilege level is not zero.
void describe_rflags(FormatSink& sink, u64 rflags);

} // namespace fault
