# install(): headers, the libraries, a CMake package (DockLinkConfig.cmake + version) and docklink.pc.
include(CMakePackageConfigHelpers)
set(docklink_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/DockLink)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/include/docklink DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The ports' public headers (docklink/ports/...) exist only once a port has a header; git keeps no empty folder.
if(EXISTS ${PROJECT_SOURCE_DIR}/ports/include/docklink)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/ports/include/docklink DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
# Headers generated from the thing models at build time (cmake/ThingCodegen.cmake), when the build has them.
install(DIRECTORY ${CMAKE_BINARY_DIR}/generated/include/docklink DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} OPTIONAL
  FILES_MATCHING PATTERN "*.hpp" PATTERN "samples.hpp" EXCLUDE)  # samples.hpp is test support
install(TARGETS docklink_shared docklink_things docklink_loopback docklink_static EXPORT DockLinkTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT DockLinkTargets NAMESPACE DockLink:: DESTINATION ${docklink_cmake_dir})

configure_package_config_file(cmake/DockLinkConfig.cmake.in ${CMAKE_BINARY_DIR}/DockLinkConfig.cmake
  INSTALL_DESTINATION ${docklink_cmake_dir})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/DockLinkConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/DockLinkConfig.cmake ${CMAKE_BINARY_DIR}/DockLinkConfigVersion.cmake
  DESTINATION ${docklink_cmake_dir})

# docklink.pc names its prefix, which `cmake --install --prefix` may change after configure, so it is written at
# install time. With DESTDIR staging (e.g. into a cross sysroot) it keeps the target's prefix, as
# PKG_CONFIG_SYSROOT_DIR expects.
set(docklink_pc_staged ${CMAKE_BINARY_DIR}/pkgconfig-install/docklink.pc)
install(CODE "
  set(PROJECT_DESCRIPTION [==[${PROJECT_DESCRIPTION}]==])
  set(PROJECT_VERSION [==[${PROJECT_VERSION}]==])
  set(CMAKE_INSTALL_LIBDIR [==[${CMAKE_INSTALL_LIBDIR}]==])
  set(CMAKE_INSTALL_INCLUDEDIR [==[${CMAKE_INSTALL_INCLUDEDIR}]==])
  set(DOCKLINK_PLATFORM_CFLAGS [==[${DOCKLINK_PLATFORM_CFLAGS}]==])
  configure_file([==[${PROJECT_SOURCE_DIR}/cmake/docklink.pc.in]==] [==[${docklink_pc_staged}]==] @ONLY)
")
install(FILES ${docklink_pc_staged} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# docklink-things.pc (the typed thing-model code, libdocklink_things) and docklink-loopback.pc (the in-memory
# broker for tests, libdocklink_loopback), on top of docklink.pc.
foreach(pc_name IN ITEMS docklink-things docklink-loopback)
  set(pc_staged ${CMAKE_BINARY_DIR}/pkgconfig-install/${pc_name}.pc)
  install(CODE "
    set(PROJECT_VERSION [==[${PROJECT_VERSION}]==])
    set(CMAKE_INSTALL_LIBDIR [==[${CMAKE_INSTALL_LIBDIR}]==])
    configure_file([==[${PROJECT_SOURCE_DIR}/cmake/${pc_name}.pc.in]==] [==[${pc_staged}]==] @ONLY)
  ")
  install(FILES ${pc_staged} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
