# Shared part of the Debian 12 cross toolchain files (aarch64-linux-gnu.cmake, arm-linux-gnueabihf.cmake).
# Everything the target needs comes from a sysroot made by scripts/make-sysroot.sh, given as
#   -DDOCKLINK_SYSROOT=/path/to/sysroot   (or the DOCKLINK_SYSROOT environment variable)
# Headers, libraries, CMake packages and pkg-config files are searched in the sysroot ONLY, so no host (x86-64)
# library can leak into the link. Programs (compilers, pkg-config, mosquitto, scripts) still come from the host.
# The caller sets DOCKLINK_TRIPLE, DOCKLINK_QEMU and CMAKE_SYSTEM_PROCESSOR first.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${DOCKLINK_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${DOCKLINK_TRIPLE}-g++)
# Debian's multiarch library directory inside the sysroot (usr/lib/<triple>); find_* and GNUInstallDirs use it.
set(CMAKE_LIBRARY_ARCHITECTURE ${DOCKLINK_TRIPLE})

if(NOT DOCKLINK_SYSROOT AND DEFINED ENV{DOCKLINK_SYSROOT})
  set(DOCKLINK_SYSROOT "$ENV{DOCKLINK_SYSROOT}")
endif()
if(NOT DOCKLINK_SYSROOT)
  message(FATAL_ERROR "DockLink cross build: no sysroot. Make one with\n"
                      "  scripts/make-sysroot.sh ${CMAKE_SYSTEM_PROCESSOR} <dir>\n"
                      "and configure with -DDOCKLINK_SYSROOT=<dir>.")
endif()
get_filename_component(DOCKLINK_SYSROOT "${DOCKLINK_SYSROOT}" ABSOLUTE)
if(NOT EXISTS "${DOCKLINK_SYSROOT}/usr/lib/${DOCKLINK_TRIPLE}/libc.so.6")
  message(FATAL_ERROR "DockLink cross build: ${DOCKLINK_SYSROOT} is not a ${DOCKLINK_TRIPLE} sysroot "
                      "(make it with scripts/make-sysroot.sh).")
endif()
# try_compile() projects re-read this file; they need the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES DOCKLINK_SYSROOT)

set(CMAKE_SYSROOT "${DOCKLINK_SYSROOT}")
# Extra roots (e.g. a staging prefix of an installed DockLink outside the sysroot) may be given with
# -DCMAKE_FIND_ROOT_PATH=...; the sysroot is always one of them.
list(APPEND CMAKE_FIND_ROOT_PATH "${DOCKLINK_SYSROOT}")
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (the host's pkgconf) reads only the sysroot's .pc files and prefixes their paths with the sysroot.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${DOCKLINK_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${DOCKLINK_SYSROOT}/usr/local/lib/${DOCKLINK_TRIPLE}/pkgconfig:${DOCKLINK_SYSROOT}/usr/local/lib/pkgconfig:${DOCKLINK_SYSROOT}/usr/local/share/pkgconfig:${DOCKLINK_SYSROOT}/usr/lib/${DOCKLINK_TRIPLE}/pkgconfig:${DOCKLINK_SYSROOT}/usr/lib/pkgconfig:${DOCKLINK_SYSROOT}/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})

# No binfmt_misc is assumed (docs/toolchain-notes.md#p14): CTest runs target executables through qemu-user, whose
# loader and libraries come from the sysroot (-L). Scripts given to add_test() by path run directly on the host.
find_program(DOCKLINK_QEMU_EXECUTABLE ${DOCKLINK_QEMU})
if(NOT DOCKLINK_QEMU_EXECUTABLE)
  message(WARNING "${DOCKLINK_QEMU} not found (Debian package qemu-user): the tests cannot run on this host.")
  set(DOCKLINK_QEMU_EXECUTABLE ${DOCKLINK_QEMU})
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${DOCKLINK_QEMU_EXECUTABLE};-L;${DOCKLINK_SYSROOT}")
