# 32-bit targets (armhf): 64-bit file offsets for everything built here, and for the users of the installed SDK.
# Without them glibc's readdir()/stat() fail with EOVERFLOW when 32-bit code runs on a 64-bit kernel whose file
# system hands out 64-bit inode numbers (ext4), so the file store could not list its own directory. Consumers get
# the same definition (CMake package, pkg-config) so that off_t, struct stat etc. mean the same on both sides.
# time_t stays as the platform has it (32-bit on armhf bookworm, docs/toolchain-notes.md#p12).
#   DOCKLINK_PLATFORM_DEFINITIONS   the definitions, a list (empty on 64-bit targets)
set(DOCKLINK_PLATFORM_DEFINITIONS "")
if(CMAKE_SIZEOF_VOID_P EQUAL 4)
  list(APPEND DOCKLINK_PLATFORM_DEFINITIONS _FILE_OFFSET_BITS=64)
endif()
add_compile_definitions(${DOCKLINK_PLATFORM_DEFINITIONS})

# The same as compiler flags for docklink.pc's Cflags (with a leading space, or empty).
set(DOCKLINK_PLATFORM_CFLAGS "")
foreach(definition IN LISTS DOCKLINK_PLATFORM_DEFINITIONS)
  string(APPEND DOCKLINK_PLATFORM_CFLAGS " -D${definition}")
endforeach()
