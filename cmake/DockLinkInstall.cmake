# install(): headers, both libraries, a CMake package (DockLinkConfig.cmake + version) and docklink.pc.
include(CMakePackageConfigHelpers)
set(docklink_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/DockLink)

install(DIRECTORY sdk/include/docklink ports/include/docklink DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS docklink_shared docklink_static EXPORT DockLinkTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT DockLinkTargets NAMESPACE DockLink:: DESTINATION ${docklink_cmake_dir})

configure_package_config_file(cmake/DockLinkConfig.cmake.in ${CMAKE_BINARY_DIR}/DockLinkConfig.cmake
  INSTALL_DESTINATION ${docklink_cmake_dir})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/DockLinkConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/DockLinkConfig.cmake ${CMAKE_BINARY_DIR}/DockLinkConfigVersion.cmake
  DESTINATION ${docklink_cmake_dir})

configure_file(cmake/docklink.pc.in ${CMAKE_BINARY_DIR}/docklink.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/docklink.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
