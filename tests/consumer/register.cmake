# Registers the install check (scripts/check-install.sh) as a CTest test of this build tree. Included from
# tests/CMakeLists.txt. Host builds only: a cross tree is checked by running the script on it directly.
if(NOT CMAKE_CROSSCOMPILING)
  add_test(NAME integration.InstallAndConsume COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-install.sh ${CMAKE_BINARY_DIR})
  # Installs into its own temporary prefix and builds an outside project: slower than a test group, but
  # independent of the broker fixture.
  set_tests_properties(integration.InstallAndConsume PROPERTIES LABELS integration TIMEOUT 300)
endif()
