#!/usr/bin/env bash
# Prints the QEMU accelerator to use: "kvm" only when the CPU really has hardware
# virtualization (vmx or svm) and /dev/kvm is usable, "tcg" otherwise. The
# /dev/kvm on some hosts is a software implementation far slower than TCG, so
# its mere existence is not the test. OSPREY_ACCEL=kvm|tcg forces a choice.
set -euo pipefail

case "${OSPREY_ACCEL:-auto}" in
    kvm | tcg)
        echo "$OSPREY_ACCEL"
        exit 0
        ;;
    auto | "") ;;
    *)
        echo "osprey: OSPREY_ACCEL must be kvm, tcg or auto" >&2
        exit 1
        ;;
esac

if grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    echo kvm
else
    echo tcg
fi
