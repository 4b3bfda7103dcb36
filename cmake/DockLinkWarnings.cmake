# Warnings as errors for our own code only; dependencies come in as SYSTEM includes.
add_library(docklink_warnings INTERFACE)
target_compile_options(docklink_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  # Clang checks the lock annotations (sdk/src/thread_annotations.hpp), as errors even where other warnings are
  # not (the fuzz build): a lock misuse is a bug, not style. Other compilers ignore the annotations.
  $<$<CXX_COMPILER_ID:Clang>:-Wthread-safety>
  $<$<CXX_COMPILER_ID:Clang>:-Werror=thread-safety>
  $<$<BOOL:${DOCKLINK_WERROR}>:-Werror>)

# DOCKLINK_SANITIZE=address,undefined builds everything with those sanitizers.
if(DOCKLINK_SANITIZE)
  add_compile_options(-fsanitize=${DOCKLINK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${DOCKLINK_SANITIZE})
endif()
