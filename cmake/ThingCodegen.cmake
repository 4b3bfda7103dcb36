# Generates typed C++ from the thing models (scripts/thing_codegen.py) at build time: enums, property, service,
# event and request structs with RapidJSON conversions, in ${CMAKE_BINARY_DIR}/generated/include/docklink/generated/.
# The generator runs with the build host's python3, so cross builds need neither an emulator nor a host compiler.
#
# Use (sdk/CMakeLists.txt, then ports/CMakeLists.txt):
#   include(ThingCodegen)
#   docklink_generate_thing_types(docklink_core)      # first call: compiles the conversions (types.cpp) into it
#   docklink_generate_thing_types(docklink_static)    # later calls: only the include directory and the ordering
#
# Regenerates when a model file or the generator changes; files whose content did not change keep their time
# stamp, so an unrelated model edit recompiles nothing that does not depend on it.

find_package(Python3 COMPONENTS Interpreter REQUIRED)

set(DOCKLINK_THING_CODEGEN_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/../scripts/thing_codegen.py")
get_filename_component(DOCKLINK_THING_CODEGEN_SCRIPT "${DOCKLINK_THING_CODEGEN_SCRIPT}" ABSOLUTE)
# The directory to put on the include path; headers are included as "docklink/generated/<name>.hpp".
set(DOCKLINK_GENERATED_INCLUDE_DIR "${CMAKE_BINARY_DIR}/generated/include")

# Makes the generated types available to `target`. The first call also compiles the generated conversions into
# `target` (it must be the library that the others are built from, e.g. the docklink_core object library).
function(docklink_generate_thing_types target)
  set(out_dir "${DOCKLINK_GENERATED_INCLUDE_DIR}/docklink/generated")
  if(NOT TARGET docklink_thing_types)
    set(models_dir "${PROJECT_SOURCE_DIR}/thing_models")
    get_filename_component(scripts_dir "${DOCKLINK_THING_CODEGEN_SCRIPT}" DIRECTORY)
    execute_process(
      COMMAND "${Python3_EXECUTABLE}" "${DOCKLINK_THING_CODEGEN_SCRIPT}" --models "${models_dir}" --list-outputs
      OUTPUT_VARIABLE names OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE listed)
    if(NOT listed EQUAL 0)
      message(FATAL_ERROR "thing_codegen.py --list-outputs failed")
    endif()
    string(REPLACE "\n" ";" names "${names}")
    set(outputs "")
    foreach(name IN LISTS names)
      list(APPEND outputs "${out_dir}/${name}")
    endforeach()
    file(GLOB_RECURSE model_files CONFIGURE_DEPENDS "${models_dir}/*.json")
    set(stamp "${CMAKE_BINARY_DIR}/generated/thing_codegen.stamp")
    file(MAKE_DIRECTORY "${out_dir}")
    # The stamp is always rewritten, the headers only when they change: no rerun on the next build, and no
    # needless recompilation after an edit that changes no generated text.
    add_custom_command(OUTPUT "${stamp}"
      BYPRODUCTS ${outputs}
      COMMAND "${Python3_EXECUTABLE}" "${DOCKLINK_THING_CODEGEN_SCRIPT}" --models "${models_dir}"
              --out "${out_dir}" --stamp "${stamp}"
      DEPENDS ${model_files} "${DOCKLINK_THING_CODEGEN_SCRIPT}" "${scripts_dir}/check_thing_models.py"
              "${scripts_dir}/thing_codegen_properties.py"
      COMMENT "Generating typed C++ from the thing models"
      VERBATIM)
    add_custom_target(docklink_thing_types DEPENDS "${stamp}")
    get_target_property(target_dir ${target} SOURCE_DIR)
    set_source_files_properties("${out_dir}/types.cpp" DIRECTORY "${target_dir}" PROPERTIES GENERATED TRUE)
    target_sources(${target} PRIVATE "${out_dir}/types.cpp")
  endif()
  add_dependencies(${target} docklink_thing_types)
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${DOCKLINK_GENERATED_INCLUDE_DIR}>)
endfunction()
