// The group base of the dock-sim tests that download for real: a private nginx serving files over HTTPS with a CA
// made for the test, and a dock that trusts that CA (--http-ca) and keeps its files in the test's directory
// (--files-dir). Include it after anything that must come before CppUTest's headers.
#pragma once

#include <unistd.h>

#include <memory>
#include <string>

#include "docklink/ports/mbedtls_hashing.hpp"
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory, make_test_certificates
#include "sim_test_groups.hpp"

namespace simtest {

/// Hex MD5 of `content`.
inline std::string md5_hex(const std::string& content) {
  docklink::ports::MbedtlsHashing hashing;
  auto hasher = hashing.new_hasher(docklink::port::HashAlgorithm::kMd5);
  hasher->update(content);
  std::string hex;
  for (char raw : hasher->finish()) {
    static const char kDigits[] = "0123456789abcdef";
    auto byte = static_cast<unsigned char>(raw);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

inline bool file_exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

/// nginx over TLS, then a SimSession whose dock downloads from it (at --speed 100).
class SimHttpsGroup : public SimSessionGroup {
 public:
  void setup() override {
    SimSessionGroup::setup();
    if (docklink::test::NginxProcess::missing()) TEST_EXIT;
    certificates = docklink::test::make_test_certificates(directory.path());
    CHECK_TEXT(certificates.error.empty(), certificates.error.c_str());
    docklink::test::NginxOptions options;
    options.certificate = certificates.server_certificate;
    options.key = certificates.server_key;
    nginx = std::make_unique<docklink::test::NginxProcess>(options);
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    start_session(
        {"--files-dir", files_dir(), "--http-ca", certificates.ca_file, "--speed", "100", "--osd-period-ms", "200"});
  }
  void teardown() override {
    session.reset();
    nginx.reset();
    SimSessionGroup::teardown();
  }

 protected:
  /// The dock's --files-dir.
  std::string files_dir() const { return directory.file("files"); }

  docklink::test::TempDirectory directory;
  docklink::test::TestCertificates certificates;
  std::unique_ptr<docklink::test::NginxProcess> nginx;
};

}  // namespace simtest
