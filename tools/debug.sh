#!/usr/bin/env bash
# `make debug`: boots build/osprey.iso in QEMU stopped at the first instruction
# (-S) with a gdb server (the -s of QEMU, on a chosen port), then runs gdb with
# the kernel's symbols, connects, puts a hardware breakpoint on kernel_main and
# continues, so gdb stops there with the boot sequence ahead.
#
# Usage: tools/debug.sh [gdb arguments...]   e.g. tools/debug.sh -batch -ex bt
# Environment:
#   OSPREY_GDB_PORT     gdb server port (default 1234)
#   OSPREY_MEM          guest memory (default 512M)
#   OSPREY_DEBUG_SERIAL where the guest's serial console goes:
#                       "file" (default): build/debug-serial.log (follow it with tail -f)
#                       "tcp": a TCP server on 127.0.0.1:4555; type at the kshell with
#                              `nc 127.0.0.1 4555` from another terminal
#
# QEMU runs in the background and is killed when gdb exits.
#
# Why a hardware breakpoint and a fixed architecture: the CPU starts in real mode,
# GRUB runs in 32-bit protected mode, and boot/entry.S switches to long mode and
# to the higher half. A software breakpoint at kernel_main (0xffffffff8...) would
# be written into memory that is not mapped until entry.S has built its page
# tables; a hardware breakpoint (hbreak) only compares the linear address and
# fires once the kernel runs there. gdb is told `set architecture i386:x86-64`
# before connecting because QEMU's x86_64 gdb stub always sends the 64-bit
# register set; disassembly of the 32-bit entry code is wrong in that mode
# (use `set architecture i386` to step through boot/entry.S before long mode).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${OSPREY_BUILD:-$root/build}"
iso="${OSPREY_ISO:-$build/osprey.iso}"
elf="$build/osprey.elf"
port="${OSPREY_GDB_PORT:-1234}"
mem="${OSPREY_MEM:-512M}"
accel="$("$here/accel.sh")"

for file in "$iso" "$elf"; do
    if [ ! -f "$file" ]; then
        echo "debug: $file is missing; run 'make build' first" >&2
        exit 1
    fi
done

case "${OSPREY_DEBUG_SERIAL:-file}" in
    file)
        serial_log="$build/debug-serial.log"
        serial=(-serial "file:$serial_log")
        echo "debug: guest serial output goes to $serial_log (tail -f it)"
        ;;
    tcp)
        serial=(-serial "tcp:127.0.0.1:4555,server=on,wait=off")
        echo "debug: guest serial console on 127.0.0.1:4555 (connect with: nc 127.0.0.1 4555)"
        ;;
    *)
        echo "debug: OSPREY_DEBUG_SERIAL must be file or tcp" >&2
        exit 1
        ;;
esac

cpu=(-cpu max)
if [ "$accel" = kvm ]; then
    cpu=(-cpu host)
fi

qemu-system-x86_64 \
    -machine q35 -accel "$accel" "${cpu[@]}" -m "$mem" \
    -cdrom "$iso" -boot d \
    -display none -monitor none "${serial[@]}" -no-reboot \
    -gdb "tcp:127.0.0.1:$port" -S </dev/null &
qemu_pid=$!
script="$(mktemp)"
trap 'rm -f "$script"; kill "$qemu_pid" 2>/dev/null || true; wait "$qemu_pid" 2>/dev/null || true' EXIT
cat >"$script" <<EOF
set pagination off
set confirm off
set architecture i386:x86-64
file $elf
set tcp connect-timeout 10
target remote 127.0.0.1:$port
hbreak kernel_main
continue
EOF

echo "debug: QEMU (pid $qemu_pid) waits for gdb on 127.0.0.1:$port; starting gdb"
gdb -q -x "$script" "$@"
