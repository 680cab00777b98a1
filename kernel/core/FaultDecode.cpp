// Exception names and error-code decoders (Intel SDM vol. 3A, 6.3.1 table 6-1
// "Protected-Mode Exceptions and Interrupts"; AMD APM vol. 2, 8.2 for #VC and
// #SX). No state, no locking.
#include <kernel/core/FaultDecode.h>

namespace fault {

namespace {

struct Exception {
    const char* name;
    ErrorCodeKind error_code;
};

constexpr Exception EXCEPTIONS[EXCEPTION_COUNT] = {
    { "Divide Error (#DE)", ErrorCodeKind::None },
    { "Debug (#DB)", ErrorCodeKind::None },
    { "Non-Maskable Interrupt (NMI)", ErrorCodeKind::None },
    { "Breakpoint (#BP)", ErrorCodeKind::None },
    { "Overflow (#OF)", ErrorCodeKind::None },
    { "BOUND Range Exceeded (#BR)", ErrorCodeKind::None },
    { "Invalid Opcode (#UD)", ErrorCodeKind::None },
    { "Device Not Available (#NM)", ErrorCodeKind::None },
    { "Double Fault (#DF)", ErrorCodeKind::Zero },
    { "Coprocessor Segment Overrun (reserved)", ErrorCodeKind::None },
    { "Invalid TSS (#TS)", ErrorCodeKind::Selector },
    { "Segment Not Present (#NP)", ErrorCodeKind::Selector },
    { "Stack-Segment Fault (#SS)", ErrorCodeKind::Selector },
    { "General Protection Fault (#GP)", ErrorCodeKind::Selector },
    { "Page Fault (#PF)", ErrorCodeKind::PageFault },
    { "Reserved Exception (vector 15)", ErrorCodeKind::None },
    { "x87 Floating-Point Error (#MF)", ErrorCodeKind::None },
    { "Alignment Check (#AC)", ErrorCodeKind::Zero },
    { "Machine Check (#MC)", ErrorCodeKind::None },
    { "SIMD Floating-Point Exception (#XM)", ErrorCodeKind::None },
    { "Virtualization Exception (#VE)", ErrorCodeKind::None },
    { "Control Protection Exception (#CP)", ErrorCodeKind::ControlProtection },
    { "Reserved Exception (vector 22)", ErrorCodeKind::None },
    { "Reserved Exception (vector 23)", ErrorCodeKind::None },
    { "Reserved Exception (vector 24)", ErrorCodeKind::None },
    { "Reserved Exception (vector 25)", ErrorCodeKind::None },
    { "Reserved Exception (vector 26)", ErrorCodeKind::None },
    { "Reserved Exception (vector 27)", ErrorCodeKind::None },
    { "Hypervisor Injection Exception (#HV)", ErrorCodeKind::None },
    { "VMM Communication Exception (#VC)", ErrorCodeKind::Raw },
    { "Security Exception (#SX)", ErrorCodeKind::Raw },
    { "Reserved Exception (vector 31)", ErrorCodeKind::None },
};

// Writes the words of a list separated by ", ".
class ListWriter {
public:
    explicit ListWriter(FormatSink& sink)
        : m_sink(sink)
    {
    }
    void add(StringView item)
    {
        if (m_count++)
            m_sink.write(", ");
        m_sink.write(item);
    }

private:
    FormatSink& m_sink;
    usize m_count { 0 };
};

// Page-fault error code, SDM vol. 3A, 4.7 figure 4-12.
void describe_page_fault(FormatSink& sink, u64 code)
{
    ListWriter list(sink);
    list.add(code & (1 << 0) ? "protection violation" : "not-present page");
    list.add(code & (1 << 1) ? "write" : "read");
    list.add(code & (1 << 2) ? "user mode" : "supervisor mode");
    if (code & (1 << 3))
        list.add("reserved bit set in a paging entry");
    if (code & (1 << 4))
        list.add("instruction fetch");
    if (code & (1 << 5))
        list.add("protection key");
    if (code & (1 << 6))
        list.add("shadow stack");
    if (code & (1 << 15))
        list.add("SGX");
}

// Selector error code, SDM vol. 3A, 6.13 figure 6-6: EXT (bit 0), IDT (bit 1),
// TI (bit 2, meaningful when IDT is clear), index (bits 15:3).
void describe_selector(FormatSink& sink, u64 code)
{
    if (code == 0) {
        sink.write("no selector (not segment-related)");
        return;
    }
    u64 index = (code >> 3) & 0x1fff;
    if (code & (1 << 1))
        format(sink, "IDT vector {}", index);
    else
        format(sink, "{} index {}, selector {:#x}", code & (1 << 2) ? "LDT" : "GDT", index, code & 0xfffc);
    if (code & (1 << 0))
        sink.write(", external event");
}

// Control-protection error code, SDM vol. 1, 18.5 / vol. 3A 6.15 (#CP).
void describe_control_protection(FormatSink& sink, u64 code)
{
    switch (code & 0x7fff) {
    case 1:
        sink.write("near return address mismatch");
        break;
    case 2:
        sink.write("far return or IRET mismatch");
        break;
    case 3:
        sink.write("missing ENDBRANCH");
        break;
    case 4:
        sink.write("RSTORSSP token check");
        break;
    case 5:
        sink.write("SETSSBSY token check");
        break;
    default:
        format(sink, "unknown kind {}", code & 0x7fff);
        break;
    }
    if (code & (1 << 15))
        sink.write(", in an enclave");
}

} // namespace

StringView exception_name(u64 vector)
{
    if (vector >= EXCEPTION_COUNT)
        return "External Interrupt";
    return EXCEPTIONS[vector].name;
}

ErrorCodeKind error_code_kind(u64 vector)
{
    if (vector >= EXCEPTION_COUNT)
        return ErrorCodeKind::None;
    return EXCEPTIONS[vector].error_code;
}

bool has_error_code(u64 vector)
{
    return error_code_kind(vector) != ErrorCodeKind::None;
}

void describe_error_code(FormatSink& sink, u64 vector, u64 error_code)
{
    switch (error_code_kind(vector)) {
    case ErrorCodeKind::None:
        sink.write("none");
        return;
    case ErrorCodeKind::Zero:
        sink.write(error_code == 0 ? "zero" : "unexpectedly non-zero");
        return;
    case ErrorCodeKind::Selector:
        describe_selector(sink, error_code);
        return;
    case ErrorCodeKind::PageFault:
        describe_page_fault(sink, error_code);
        return;
    case ErrorCodeKind::ControlProtection:
        describe_control_protection(sink, error_code);
        return;
    case ErrorCodeKind::Raw:
        format(sink, "{:#x}", error_code);
        return;
    }
}

void describe_rflags(FormatSink& sink, u64 rflags)
{
    // SDM vol. 1, 3.4.3 figure 3-8. Bit 1 is reserved and always set.
    struct Flag {
        u8 bit;
        const char* name;
    };
    constexpr Flag FLAGS[] = {
        { 0, "CF" },
        { 2, "PF" },
        { 4, "AF" },
        { 6, "ZF" },
        { 7, "SF" },
        { 8, "TF" },
        { 9, "IF" },
        { 10, "DF" },
        { 11, "OF" },
        { 14, "NT" },
        { 16, "RF" },
        { 17, "VM" },
        { 18, "AC" },
        { 19, "VIF" },
        { 20, "VIP" },
        { 21, "ID" },
    };
    bool first = true;
    auto add = [&](StringView word) {
        if (!first)
            sink.write(" ");
        sink.write(word);
        first = false;
    };
    for (const Flag& flag : FLAGS) {
        if (rflags & (u64(1) << flag.bit))
            add(flag.name);
    }
    u64 iopl = (rflags >> 12) & 3;
    if (iopl) {
        char text[8];
        add({ text, format_to(text, sizeof(text), "IOPL={}", iopl) });
    }
}

} // namespace fault
