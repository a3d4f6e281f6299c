# `cmake --install`: the two executables, the docs, the bundled scenarios, and a package config
# so that another project can find_package(ipc-harness) and call ipc_harness_add_scenarios()
# (cmake/ipc-harness-scenarios.cmake, docs/ci.md). CPack builds a .deb of the same files.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(IPCH_INSTALL_SCENARIOSDIR "${CMAKE_INSTALL_DATADIR}/ipc-harness/scenarios")
set(IPCH_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/ipc-harness")

install(TARGETS ipc-harness ipc-agent RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(DIRECTORY scenarios/ DESTINATION ${IPCH_INSTALL_SCENARIOSDIR})

configure_package_config_file(
  cmake/ipc-harnessConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/ipc-harnessConfig.cmake"
  INSTALL_DESTINATION ${IPCH_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR IPCH_INSTALL_SCENARIOSDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/ipc-harnessConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/ipc-harnessConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/ipc-harnessConfigVersion.cmake"
              cmake/ipc-harness-scenarios.cmake
        DESTINATION ${IPCH_INSTALL_CMAKEDIR})

# The .deb: `cpack --config build/dev/CPackConfig.cmake` (scripts/package-deb.sh).
set(CPACK_PACKAGE_NAME ipc-harness)
set(CPACK_PACKAGE_VENDOR "ipc-harness")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "multi-process tests of shared-memory IPC (named mapping + named mutex) from scenario files")
set(CPACK_PACKAGE_CONTACT "ipc-harness maintainers <ipc-harness@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The runtime libraries' packages (yaml-cpp, spdlog, fmt, Boost.Filesystem, pugixml, xxhash),
# found by dpkg-shlibdeps from the binaries rather than listed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The dev build keeps debug info (RelWithDebInfo): some 90 MB the package does not need.
set(CPACK_STRIP_FILES TRUE)
include(CPack)
