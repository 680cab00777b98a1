#!/usr/bin/env bash
# Osprey's lint: clang-format (layout from .clang-format) and clang-tidy (checks
# from .clang-tidy) over the C/C++ sources in kernel/ drivers/ boot/ fs/ ipc/ net/ libc/ userland/
# tests/.
#
# Usage: tools/lint.sh [BUILD_DIR]        check; exits nonzero on any finding
#        tools/lint.sh --fix [BUILD_DIR]  rewrite the files with clang-format
#
# clang-tidy runs on every project translation unit in BUILD_DIR's
# compile_commands.json with the flags the build uses. Sources built twice (the
# portable ones: once for the kernel's x86_64-unknown-none-elf target, once for
# the host tests) are checked in both configurations. OSPREY_LINT_JOBS sets the
# parallelism (default 2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

fix=0
if [ "${1:-}" = "--fix" ]; then
    fix=1
    shift
fi
build="${1:-build}"
case "$build" in
    /*) ;;
    *) build="$root/$build" ;;
esac
jobs="${OSPREY_LINT_JOBS:-2}"

cd "$root"
mapfile -t sources < <(find kernel drivers boot fs ipc net libc userland tests -type f \
    \( -name '*.cpp' -o -name '*.h' -o -name '*.c' -o -name '*.hpp' \) | sort)

if [ "$fix" = 1 ]; then
    clang-format -i "${sources[@]}"
    echo "lint: formatted ${#sources[@]} files"
    exit 0
fi

status=0
echo "lint: clang-format --dry-run --Werror on ${#sources[@]} files"
if ! clang-format --dry-run --Werror "${sources[@]}"; then
    echo "lint: formatting differs from .clang-format; run 'make format'" >&2
    status=1
fi

database="$build/compile_commands.json"
if [ ! -f "$database" ]; then
    echo "lint: $database is missing; run 'make configure' first" >&2
    exit 1
fi
mapfile -t units < <(python3 - "$database" "$root" <<'EOF'
import json, os, sys
database, root = sys.argv[1], sys.argv[2]
folders = tuple(os.path.join(root, folder) + os.sep for folder in ("kernel", "drivers", "boot", "fs", "ipc", "net", "libc", "userland", "tests"))
files = {os.path.normpath(os.path.join(entry["directory"], entry["file"])) for entry in json.load(open(database))}
print("\n".join(sorted(f for f in files if f.startswith(folders) and f.endswith((".cpp", ".c")))))
EOF
)
echo "lint: clang-tidy on ${#units[@]} translation units ($jobs at a time)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${units[@]}" | xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet >"$log" 2>&1; then
    status=1
fi
# clang-tidy prints "N warnings generated" for system headers even when quiet; keep the findings.
grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter' "$log" || true
if [ "$status" != 0 ]; then
    echo "lint: FAILED" >&2
    exit 1
fi
echo "lint: clean"
