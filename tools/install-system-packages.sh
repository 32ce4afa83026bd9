#!/usr/bin/env bash
# Install the Debian packages pycmsisnn needs beyond Python: a host C compiler
# for the kernel library, and the Arm cross compiler, newlib and QEMU for the
# Cortex-M targets. Installs only what is missing; needs root (or sudo).
set -euo pipefail
need=()
for pkg in gcc libc6-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi
