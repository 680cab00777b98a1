#!/usr/bin/env bash
# Installs the Debian packages Osprey's build, boot and tests need, only when missing.
set -euo pipefail

packages=(
    qemu-system-x86 grub-pc-bin grub-common xorriso mtools fdisk
    clang lld cmake ninja-build libgtest-dev libclang-common-14-dev
    python3 gdb clang-format clang-tidy binutils cpio e2fsprogs
    musl-tools
)

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "osprey: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
