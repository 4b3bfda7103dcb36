# Keeps DockLink's libraries small (the firmware target: our code ≤ 300 KiB stripped on aarch64).
#   docklink_compact_objects(target [EXPORT_ALL])  compile options for the objects of a library
#   docklink_compact_library(target)               link options for a shared library
#   docklink_compact_consumers(target)             link options for in-tree programs of a static library
#
# Objects are built with hidden visibility: only what the public headers mark DOCKLINK_API (docklink/export.hpp)
# is exported, so the dynamic symbol table does not carry every internal function and every RapidJSON and
# standard-library template instance. EXPORT_ALL keeps default visibility for code whose every function is
# public API (the generated thing types, whose headers come from scripts/thing_codegen.py); inline functions
# stay hidden there too. Each function and object gets its own section so the linker can drop the unused ones.
#
# DOCKLINK_LTO (GCC, Release and MinSizeRel): the shared libraries are linked with link-time optimisation, which
# inlines and drops code across files now that the export list says what must stay. The objects are "fat" (real
# code beside the LTO bytecode), so the static library still links into programs built without LTO, with any
# archiver and without the LTO plugin. The link repeats -ffunction-sections -fdata-sections, which LTO's code
# generation does not take from the objects: --gc-sections then works on functions again, and the link map still
# names every function (tests/bench/footprint.py attributes LTO code by those names). The library is generated as
# one LTO partition: with several, each partition keeps its own copies of shared constants and private clones
# (about 1 KB more on aarch64), and the library is small enough for one code-generation job.
# (A macro: the functions below are called from several directories, which do not share variables.)
macro(docklink_lto_condition out)
  set(${out} "$<AND:$<BOOL:${DOCKLINK_LTO}>,$<CXX_COMPILER_ID:GNU>,$<CONFIG:Release,MinSizeRel>>")
endmacro()

function(docklink_compact_objects target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXPORT_ALL" "" "")
  if(NOT arg_EXPORT_ALL)
    set_target_properties(${target} PROPERTIES CXX_VISIBILITY_PRESET hidden)
  endif()
  set_target_properties(${target} PROPERTIES VISIBILITY_INLINES_HIDDEN ON)
  docklink_lto_condition(lto)
  # -fno-semantic-interposition: exported functions may be inlined and called directly inside the library.
  target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections
                                           $<$<CXX_COMPILER_ID:GNU>:-fno-semantic-interposition>
                                           "$<${lto}:-flto=auto;-ffat-lto-objects>")
endfunction()

function(docklink_compact_library target)
  set(exports "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/docklink.exports")
  docklink_lto_condition(lto)
  # The export list also hides the standard-library template instances compiled into the library: libstdc++
  # declares namespace std with default visibility, so -fvisibility=hidden alone leaves them exported.
  # The link map lets scripts/footprint.py attribute every byte of the library to the object it came from.
  target_link_options(${target} PRIVATE LINKER:--gc-sections LINKER:--as-needed LINKER:-O1
                                        LINKER:--version-script=${exports}
                                        LINKER:-Map=${CMAKE_CURRENT_BINARY_DIR}/${target}.map
                                        "$<${lto}:-flto=auto;-flto-partition=one;-ffunction-sections;-fdata-sections>")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${exports})
endfunction()

# Programs built here against the static library (samples, tests, benchmarks) drop its unused functions too.
function(docklink_compact_consumers target)
  target_link_options(${target} INTERFACE $<BUILD_INTERFACE:LINKER:--gc-sections>)
endfunction()
