# DOCKLINK_FUZZ (clang only): every object of the build gets libFuzzer's coverage instrumentation and ASan+UBSan,
# so a fuzz target that links the SDK's object libraries (fuzz_client: docklink_core and the loopback port) is
# guided by coverage of all of it. The fuzz targets add -fsanitize=fuzzer themselves (tests/fuzz/CMakeLists.txt).
# pointer-overflow is off because RapidJSON 1.1.0's internal::Stack::Reserve adds an offset to a null pointer on
# the first push of every parse (harmless, fixed upstream after 1.1.0); clang's UBSan would stop on it at once.
# Included before any target is defined (top-level CMakeLists.txt).
if(DOCKLINK_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(DOCKLINK_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize=pointer-overflow
                               -fno-sanitize-recover=undefined)
  add_compile_options(-fsanitize=fuzzer-no-link ${DOCKLINK_FUZZ_SANITIZERS} -fno-omit-frame-pointer -g)
  add_link_options(${DOCKLINK_FUZZ_SANITIZERS})
endif()
