# Finds DockLink's dependencies from Debian 12 packages. Each failure names the package to install.
# Several Debian CMake configs are broken or incomplete (docs/toolchain-notes.md#p8 to #p11), so most lookups
# are by hand.

macro(docklink_require found package what)
  if(NOT ${found})
    message(FATAL_ERROR "DockLink: ${what} not found. Install the Debian package '${package}' "
                        "(scripts/install-deps.sh installs everything).")
  endif()
endmacro()

find_package(Threads REQUIRED)

# RapidJSON: header-only. Its config hard-codes /usr/include (P11), which would leak host headers into a
# sysroot build, so only find_path is used.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h)
docklink_require(RAPIDJSON_INCLUDE_DIR rapidjson-dev "RapidJSON")
add_library(docklink_rapidjson INTERFACE)
target_include_directories(docklink_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
# std::string support lets the codec take std::string_view/std::string without copies.
target_compile_definitions(docklink_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)

# mbedTLS 2.28 ships neither a CMake config nor a .pc file.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/version.h)
docklink_require(MBEDTLS_INCLUDE_DIR libmbedtls-dev "mbedTLS headers")
find_library(MBEDTLS_LIBRARY mbedtls)
find_library(MBEDX509_LIBRARY mbedx509)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto)
docklink_require(MBEDCRYPTO_LIBRARY libmbedtls-dev "mbedcrypto")
docklink_require(MBEDX509_LIBRARY libmbedtls-dev "mbedx509")
docklink_require(MBEDTLS_LIBRARY libmbedtls-dev "mbedtls")
add_library(docklink_mbedtls INTERFACE)
target_include_directories(docklink_mbedtls SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
# Static link order: tls -> x509 -> crypto.
target_link_libraries(docklink_mbedtls INTERFACE ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY})

# Paho C++ needs libpaho-mqtt-dev and libssl-dev for the target too, though its package omits them (P10).
find_package(OpenSSL QUIET)
docklink_require(OPENSSL_FOUND libssl-dev "OpenSSL (needed by Paho C)")
find_path(PAHO_C_INCLUDE_DIR MQTTAsync.h)
docklink_require(PAHO_C_INCLUDE_DIR libpaho-mqtt-dev "Paho MQTT C")
find_package(PahoMqttCpp 1.2 CONFIG QUIET)
docklink_require(PahoMqttCpp_FOUND libpaho-mqttpp-dev "Paho MQTT C++")

# libcurl (OpenSSL flavour) for the HTTP port; CMake's FindCURL reads its pkg-config file or headers.
find_package(CURL 7.85 QUIET)
docklink_require(CURL_FOUND libcurl4-openssl-dev "libcurl")

if(DOCKLINK_BUILD_TESTS)
  # CppUTest's CMake config is broken on Debian (P8); its pkg-config file works.
  find_package(PkgConfig QUIET)
  docklink_require(PKG_CONFIG_FOUND pkgconf "pkg-config")
  pkg_check_modules(CPPUTEST QUIET IMPORTED_TARGET cpputest)
  docklink_require(CPPUTEST_FOUND libcpputest-dev "CppUTest")
  if(NOT CMAKE_CROSSCOMPILING)
    find_program(MOSQUITTO_EXECUTABLE mosquitto PATHS /usr/sbin /sbin)
    docklink_require(MOSQUITTO_EXECUTABLE mosquitto "mosquitto (the broker of the integration tests)")
  endif()
endif()
