# Cross toolchain for 64-bit ARM Linux (Debian arm64) with Debian 12's aarch64-linux-gnu-g++:
#   cmake -S . -B build-aarch64 --toolchain toolchains/aarch64-linux-gnu.cmake -DDOCKLINK_SYSROOT=<sysroot>
# The sysroot comes from `scripts/make-sysroot.sh aarch64 <sysroot>`; tests run under qemu-aarch64.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(DOCKLINK_TRIPLE aarch64-linux-gnu)
set(DOCKLINK_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross-common.cmake)
