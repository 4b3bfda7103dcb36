# Embeds the thing-model JSON files (thing_models/**/*.json except the schema) into the library as byte arrays,
# so load_embedded("3-2-0") works without files on the device. scripts/embed_thing_models.py writes the table
# with the build host's python3 (found by ThingCodegen.cmake), so cross builds need no emulator and no host
# compiler. The files are embedded minified, without their documentation members, and packed (see the script).
#
# Use (sdk/CMakeLists.txt):
#   include(EmbedThingModels)
#   docklink_embed_thing_models(docklink_core)

find_package(Python3 COMPONENTS Interpreter REQUIRED)
set(DOCKLINK_EMBED_THING_MODELS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/../scripts/embed_thing_models.py")
get_filename_component(DOCKLINK_EMBED_THING_MODELS_SCRIPT "${DOCKLINK_EMBED_THING_MODELS_SCRIPT}" ABSOLUTE)

# Adds the generated model table to `target` and defines DOCKLINK_HAVE_EMBEDDED_THING_MODELS for its sources.
function(docklink_embed_thing_models target)
  set(models_dir "${PROJECT_SOURCE_DIR}/thing_models")
  set(output "${CMAKE_CURRENT_BINARY_DIR}/generated/docklink_thing_models.cpp")
  file(GLOB_RECURSE model_files CONFIGURE_DEPENDS "${models_dir}/*.json")
  file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/generated")
  add_custom_command(OUTPUT "${output}"
    COMMAND "${Python3_EXECUTABLE}" "${DOCKLINK_EMBED_THING_MODELS_SCRIPT}" --models "${models_dir}" --out "${output}"
    DEPENDS ${model_files} "${DOCKLINK_EMBED_THING_MODELS_SCRIPT}"
    COMMENT "Embedding thing models (minified, packed)"
    VERBATIM)
  # A custom target carries the dependency, so this also works when `target` lives in another directory.
  add_custom_target(${target}_thing_models DEPENDS "${output}")
  get_target_property(target_dir ${target} SOURCE_DIR)
  set_source_files_properties("${output}" DIRECTORY "${target_dir}" PROPERTIES GENERATED TRUE)
  target_sources(${target} PRIVATE "${output}")
  add_dependencies(${target} ${target}_thing_models)
  target_compile_definitions(${target} PRIVATE DOCKLINK_HAVE_EMBEDDED_THING_MODELS=1)
endfunction()
