#!/usr/bin/env bash
# Boots build/osprey.iso in QEMU with the serial console on this terminal.
# Usage: tools/qemu.sh [--debug] [extra qemu args...]
# Environment: OSPREY_ACCEL (kvm|tcg|auto), OSPREY_MEM (default 512M),
# OSPREY_ISO (default build/osprey.iso).
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

cpu=(-cpu max)
if [ "$accel" = kvm ]; then
    cpu=(-cpu host)
fi

exec qemu-system-x86_64 \
    -machine q35 -accel "$accel" "${cpu[@]}" -m "$mem" \
    -cdrom "$iso" -boot d \
    -nographic \
    "${debug[@]}" "$@"
