# Cross toolchain for 32-bit ARM Linux, hard float (Debian armhf: ARMv7-A + VFP, Thumb-2; not ARMv6 boards)
# with Debian 12's arm-linux-gnueabihf-g++:
#   cmake -S . -B build-armhf --toolchain toolchains/arm-linux-gnueabihf.cmake -DDOCKLINK_SYSROOT=<sysroot>
# The sysroot comes from `scripts/make-sysroot.sh armhf <sysroot>`; tests run under qemu-arm.
# Note: time_t is 32-bit on armhf bookworm (docs/toolchain-notes.md#p12).
set(CMAKE_SYSTEM_PROCESSOR arm)
set(DOCKLINK_TRIPLE arm-linux-gnueabihf)
set(DOCKLINK_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross-common.cmake)
