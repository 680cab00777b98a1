#pragma once

// AHCI register and structure layouts (Serial ATA AHCI 1.3.1, chapters 3
// and 4) and the ATA commands the driver issues (ACS-3).
#include <kernel/lib/Types.h>

namespace ahci {

// Generic host control (3.1).
enum class Hba : u32 {
    Capabilities = 0x00,
    GlobalControl = 0x04,
    InterruptStatus = 0x08,
    PortsImplemented = 0x0c,
    Version = 0x10,
};

namespace cap {
inline constexpr u32 PORT_COUNT_MASK = 0x1f;
inline constexpr u32 SUPPORTS_64BIT = 1u << 31;
} // namespace cap

namespace ghc {
inline constexpr u32 INTERRUPT_ENABLE = 1u << 1;
inline constexpr u32 AHCI_ENABLE = 1u << 31;
} // namespace ghc

inline constexpr u32 PORT_BASE = 0x100;
inline constexpr u32 PORT_STRIDE = 0x80;
inline constexpr u32 MAX_PORTS = 32;

// Port registers (3.3), from the port's base.
enum class Port : u32 {
    CommandListBase = 0x00,
    CommandListBaseUpper = 0x04,
    FisBase = 0x08,
    FisBaseUpper = 0x0c,
    InterruptStatus = 0x10,
    InterruptEnable = 0x14,
    Command = 0x18,
    TaskFile = 0x20,
    Signature = 0x24,
    SataStatus = 0x28,
    SataControl = 0x2c,
    SataError = 0x30,
    SataActive = 0x34,
    CommandIssue = 0x38,
};

namespace port_command {
inline constexpr u32 START = 1u << 0;
inline constexpr u32 SPIN_UP = 1u << 1;
inline constexpr u32 POWER_ON = 1u << 2;
inline constexpr u32 FIS_RECEIVE_ENABLE = 1u << 4;
inline constexpr u32 FIS_RECEIVE_RUNNING = 1u << 14;
inline constexpr u32 LIST_RUNNING = 1u << 15;
} // namespace port_command

namespace port_interrupt {
inline constexpr u32 DEVICE_TO_HOST = 1u << 0; // D2H register FIS
inline constexpr u32 PIO_SETUP = 1u << 1;
inline constexpr u32 DMA_SETUP = 1u << 2;
inline constexpr u32 SET_DEVICE_BITS = 1u << 3;
inline constexpr u32 UNKNOWN_FIS = 1u << 4;
inline constexpr u32 DESCRIPTOR_PROCESSED = 1u << 5;
inline constexpr u32 PORT_CONNECT = 1u << 6;
inline constexpr u32 PHY_READY = 1u << 22;
inline constexpr u32 OVERFLOW = 1u << 24;
inline constexpr u32 INTERFACE_NONFATAL = 1u << 26;
inline constexpr u32 INTERFACE_FATAL = 1u << 27;
inline constexpr u32 HOST_BUS_DATA = 1u << 28;
inline constexpr u32 HOST_BUS_FATAL = 1u << 29;
inline constexpr u32 TASK_FILE_ERROR = 1u << 30;
inline constexpr u32 COLD_PORT_DETECT = 1u << 31;
inline constexpr u32 ERRORS
    = OVERFLOW | INTERFACE_NONFATAL | INTERFACE_FATAL | HOST_BUS_DATA | HOST_BUS_FATAL | TASK_FILE_ERROR;
inline constexpr u32 ENABLED
    = DEVICE_TO_HOST | PIO_SETUP | DMA_SETUP | SET_DEVICE_BITS | UNKNOWN_FIS | DESCRIPTOR_PROCESSED | ERRORS;
} // namespace port_interrupt

namespace task_file {
inline constexpr u32 ERROR = 1u << 0;
inline constexpr u32 DATA_REQUEST = 1u << 3;
inline constexpr u32 BUSY = 1u << 7;
} // namespace task_file

inline constexpr u32 SSTS_DETECT_MASK = 0xf;
inline constexpr u32 SSTS_DEVICE_PRESENT = 3; // device present, PHY communication established
inline constexpr u32 SCTL_DETECT_MASK = 0xf;
inline constexpr u32 SCTL_DETECT_RESET = 1; // COMRESET

inline constexpr u32 SIGNATURE_ATA = 0x00000101;
inline constexpr u32 SIGNATURE_ATAPI = 0xeb140101;

// Command header (4.2.2), one of 32 in the command list.
struct CommandHeader {
    u16 flags; // FIS length in dwords (bits 0-4), ATAPI (5), write (6), prefetchable (7)...
    u16 prdt_length;
    u32 bytes_transferred;
    u32 table_base;
    u32 table_base_upper;
    u32 reserved[4];
};
static_assert(sizeof(CommandHeader) == 32);

inline constexpr u16 HEADER_WRITE = 1u << 6;

struct PrdtEntry {
    u32 data_base;
    u32 data_base_upper;
    u32 reserved;
    u32 byte_count; // bytes - 1 (bits 0-21), interrupt on completion (bit 31)
};
static_assert(sizeof(PrdtEntry) == 16);

// Command table (4.2.3) with one PRDT entry.
struct CommandTable {
    u8 command_fis[64];
    u8 atapi_command[16];
    u8 reserved[48];
    PrdtEntry prdt[1];
};
static_assert(sizeof(CommandTable) == 0x90);

inline constexpr u8 FIS_HOST_TO_DEVICE = 0x27;
inline constexpr u8 FIS_COMMAND_BIT = 0x80;
inline constexpr u8 DEVICE_LBA_MODE = 1u << 6;

// ATA commands (ACS-3, 7.x).
inline constexpr u8 ATA_READ_DMA_EXT = 0x25;
inline constexpr u8 ATA_WRITE_DMA_EXT = 0x35;
inline constexpr u8 ATA_FLUSH_CACHE_EXT = 0xea;
inline constexpr u8 ATA_IDENTIFY_DEVICE = 0xec;

} // namespace ahci
