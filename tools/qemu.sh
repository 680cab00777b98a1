#!/usr/bin/env bash
# Boots build/osprey.iso in QEMU with the serial console on this terminal.
# Usage: tools/qemu.sh [--debug] [extra qemu args...]
# Environment: OSPREY_ACCEL (kvm|tcg|auto), OSPREY_MEM (default 512M),
# OSPREY_ISO (default build/osprey.iso), OSPREY_DISK (a raw disk image to
# attach as a virtio-blk disk, /dev/vda in the guest; `make run DISK=x.img`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
iso="${OSPREY_ISO:-$here/../build/osprey.iso}"
mem="${OSPREY_MEM:-512M}"
accel="$("$here/accel.sh")"

debug=()
if [ "${1:-}" = "--debug" ]; then
    shift
    debug=(-s -S)
fi

disk=()
if [ -n "${OSPREY_DISK:-}" ]; then
    disk=(-drive "file=$OSPREY_DISK,if=none,id=osprey-disk,format=raw" -device virtio-blk-pci,drive=osprey-disk)
fi

cpu=(-cpu max)
if [ "$accel" = kvm ]; then
    cpu=(-cpu host)
fi

exec qemu-system-x86_64 \
    -machine q35 -accel "$accel" "${cpu[@]}" -m "$mem" \
    -cdrom "$iso" -boot d \
    -nographic \
    "${disk[@]}" "${debug[@]}" "$@"
