#!/usr/bin/env bash
# Runs trampoline-harness.c, with the arm64 trampoline's assembler source linked in, as PID 1 of Debian's arm64 kernel
# in qemu-system-aarch64 (TCG; a few seconds). Prints the guest's output; exits 0 when it ends ARM64-TRAMPOLINE-OK.
# Needs gcc-aarch64-linux-gnu and qemu-system-arm; fetches the kernel package once into .build/arm64vm (adding arm64
# to dpkg's architectures for apt-get download, as root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CPS_ARM64VM_CACHE:-$repo/.build/arm64vm}
mkdir -p "$cache"
if [ ! -e "$cache/vmlinuz" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
  fi
  pkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  (cd "$cache" && apt-get download "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  dpkg-deb -x "$cache"/linux-image-*_arm64.deb "$cache/kroot"
  ln -sf "$(ls "$cache"/kroot/boot/vmlinuz-* | head -1)" "$cache/vmlinuz"
fi
work=$(mktemp -d /tmp/cps-arm64vm-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
aarch64-linux-gnu-gcc -static -O1 -o "$work/root/init" "$here/trampoline-harness.c" "$repo/src/ContainerPS.Core/Namespaces/SpawnTrampoline.aarch64.S"
(cd "$work/root" && echo init | cpio -o -H newc 2>/dev/null | gzip > "$work/initrd.gz")
timeout 120 qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 512 -nographic -no-reboot \
  -kernel "$cache/vmlinuz" -initrd "$work/initrd.gz" -append "console=ttyAMA0 rdinit=/init quiet panic=-1" \
  </dev/null 2>&1 | grep -v '^\[' | tee "$work/out" || true
grep -qx 'ARM64-TRAMPOLINE-OK' <(tr -d '\r' < "$work/out")
