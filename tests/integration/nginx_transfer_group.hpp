// CppUTest group base of the transfer tests against the test nginx over plain HTTP:
// TEST_GROUP_BASE(Name, NginxTransferGroup). It includes CppUTest's header, so include it where that goes: last.
#pragma once

#include <memory>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory

#include <CppUTest/TestHarness.h>

namespace docklink::test {

/// A running nginx, a libcurl client and what the transfer engine needs besides, per test; a test leaves at once
/// where nginx is not installed.
class NginxTransferGroup : public Utest {
 public:
  void setup() override {
    if (NginxProcess::missing()) TEST_EXIT;
    nginx = std::make_unique<NginxProcess>(nginx_options());
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    auto created = ports::CurlHttpClient::create({});
    CHECK_TEXT(created.is_ok(), "cannot create the HTTP client");
    http = std::move(created).value();
  }
  void teardown() override {
    http.reset();
    nginx.reset();
  }

 protected:
  /// The server's configuration; a group overrides it for e.g. a small send buffer.
  virtual NginxOptions nginx_options() const { return {}; }

  TempDirectory directory;                      ///< The test's files.
  std::unique_ptr<NginxProcess> nginx;          ///< The server, started by setup().
  std::unique_ptr<ports::CurlHttpClient> http;  ///< The engine's HTTP client.
  ports::MbedtlsHashing hashing;                ///< Digests for the engine.
  ports::PosixClock clock;                      ///< The engine's clock.
};

}  // namespace docklink::test
