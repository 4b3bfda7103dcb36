#!/usr/bin/env bash
# Cross-compiles DockLink for ARM Linux and runs its unit and integration tests under qemu-user:
#   scripts/cross-test.sh aarch64|armhf [-- ctest arguments]
# Makes (or reuses) the sysroot build-sysroot-ARCH/ (override with DOCKLINK_SYSROOT=dir), configures
# build-ARCH/ with toolchains/<triple>.cmake, builds, and runs CTest: test executables go through
# qemu -L <sysroot>; the broker fixture (scripts/test-broker.sh, host mosquitto) runs directly on the host.
# Before the tests, scripts/check-install.sh checks that the cross-built SDK installs and links into a consumer.
# Needs g++-aarch64-linux-gnu / g++-arm-linux-gnueabihf and qemu-user (scripts/install-deps.sh cross).
# The last lines printed are CTest's summary; the exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

case "${1:-}" in
  aarch64 | arm64) arch=aarch64 triple=aarch64-linux-gnu qemu=qemu-aarch64 ;;
  armhf | arm) arch=armhf triple=arm-linux-gnueabihf qemu=qemu-arm ;;
  *) echo "usage: $0 aarch64|armhf [-- ctest arguments]" >&2; exit 2 ;;
esac
shift
if [[ "${1:-}" == "--" ]]; then shift; fi

sysroot=$(realpath -m "${DOCKLINK_SYSROOT:-$repo/build-sysroot-$arch}")
build_dir=$repo/build-$arch
for tool in "$triple-g++" "$qemu"; do
  command -v "$tool" >/dev/null || { echo "cross-test: $tool missing; run scripts/install-deps.sh cross" >&2; exit 1; }
done

scripts/make-sysroot.sh "$arch" "$sysroot"

mkdir -p "$build_dir"
# A tree configured against another sysroot keeps that sysroot's cached find results: start it afresh.
if [[ -f "$build_dir/CMakeCache.txt" ]] &&
  [[ "$(sed -n 's/^DOCKLINK_SYSROOT:[A-Z]*=//p' "$build_dir/CMakeCache.txt")" != "$sysroot" ]]; then
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi
# Samples are built too when the tree has them (they only need the SDK); benchmarks mean nothing under qemu.
cmake -S . -B "$build_dir" --toolchain "$repo/toolchains/$triple.cmake" -DDOCKLINK_SYSROOT="$sysroot" \
  -DCMAKE_BUILD_TYPE=Release -DDOCKLINK_BUILD_TESTS=ON -DDOCKLINK_BUILD_SAMPLES=ON -DDOCKLINK_BUILD_BENCH=OFF \
  >"$build_dir/configure.log" 2>&1 || { cat "$build_dir/configure.log" >&2; exit 1; }

# Hermeticity: every header and library CMake found must lie inside the sysroot (no host x86-64 leak).
leaks=$(grep -E '^[A-Za-z0-9_]*(_LIBRARY|_LIBRARIES|_INCLUDE_DIR|_INCLUDE_DIRS|_DIR)(_[A-Z]+)?:[A-Z]+=/' \
  "$build_dir/CMakeCache.txt" | grep -v -E '^CMAKE_|:STATIC=' | cut -d= -f2- | tr ';' '\n' |
  grep -v -e "^$sysroot/" -e '^$' || true)
if [[ -n "$leaks" ]]; then
  echo "cross-test: paths outside the sysroot were found:" >&2
  echo "$leaks" >&2
  exit 1
fi

cmake --build "$build_dir" -j2

# The built objects must be for the target machine.
machine=$(readelf -h "$build_dir"/ports/libdocklink.so 2>/dev/null | awk -F: '/Machine/{gsub(/^ +/, "", $2); print $2}')
case "$arch:$machine" in
  aarch64:AArch64 | armhf:ARM) ;;
  *) echo "cross-test: libdocklink.so has machine '$machine', expected $arch" >&2; exit 1 ;;
esac

# The firmware teams' route: install into (a copy of) the sysroot, cross-build an outside consumer with
# find_package(DockLink) and with pkg-config, and run it under qemu.
scripts/check-install.sh "$build_dir"

cd "$build_dir"
ctest --output-on-failure -j2 "$@"
