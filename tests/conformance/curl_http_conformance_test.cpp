// The HTTP client conformance suite on CurlHttpClient (ports/curl) against a private nginx (tests/support/
// nginx_process.hpp) over HTTP and over HTTPS, with certificates made for the test. Skipped when nginx is not
// installed (NginxProcess::missing()), as the other nginx tests are.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "../integration/paho_test_support.hpp"  // TempDirectory, make_test_certificates
#include "docklink/ports/curl_http_client.hpp"
#include "http_test_io.hpp"       // file_bytes
#include "mosquitto_process.hpp"  // free_loopback_port
#include "nginx_process.hpp"

#include "http_conformance.hpp"  // after the standard headers: CppUTest's leak detector redefines `new`

namespace {

using docklink::conformance::HttpLocation;

// nginx with an HTTPS listener for 127.0.0.1 and one whose certificate names another host; a curl client that
// trusts the test CA.
class CurlNginxHarness : public docklink::conformance::HttpHarness {
 public:
  explicit CurlNginxHarness(bool https) : https_(https) {}

  /// Starts nginx and the client; empty when that worked, else why not.
  std::string start() {
    certificates_ = docklink::test::make_test_certificates(directory_.path());
    if (!certificates_.error.empty()) return certificates_.error;
    docklink::test::NginxOptions options;
    options.certificate = certificates_.server_certificate;
    options.key = certificates_.server_key;
    options.other_certificate = certificates_.wrong_name_certificate;
    options.other_key = certificates_.wrong_name_key;
    nginx_ = std::make_unique<docklink::test::NginxProcess>(options);
    if (!nginx_->running()) return nginx_->error();
    docklink::ports::CurlHttpClientOptions client_options;
    client_options.ca_file = certificates_.ca_file;
    auto created = docklink::ports::CurlHttpClient::create(client_options);
    if (!created) return created.status().to_string();
    client_ = std::move(created).value();
    return {};
  }

  docklink::port::HttpClient& client() override { return *client_; }
  void publish(const std::string& name, const std::string& content) override {
    CHECK_TRUE(nginx_->write_file(name, content));
  }
  std::string url(HttpLocation location, const std::string& name) override {
    const std::string path = prefix(location) + name;
    return https_ ? nginx_->https_url(path) : nginx_->http_url(path);
  }
  std::optional<std::string> uploaded(const std::string& name) override {
    const std::string path = nginx_->uploads_directory() + "/" + name;
    if (!std::filesystem::exists(path)) return std::nullopt;
    return docklink::test::file_bytes(path);
  }
  std::string refused_url() override {
    // A port free a moment ago: nothing listens there, so the connection is refused.
    return "http://127.0.0.1:" + std::to_string(docklink::test::free_loopback_port()) + "/files/x";
  }
  std::string untrusted_url() override { return nginx_->other_https_url("/files/x"); }

 private:
  static std::string prefix(HttpLocation location) {
    switch (location) {
      case HttpLocation::kFiles:
        return "/files/";
      case HttpLocation::kRedirect:
        return "/redirect/";
      case HttpLocation::kStall:
        return "/stall/";
      case HttpLocation::kCut:
        return "/cut/";
      case HttpLocation::kUpload:
        return "/upload/";
    }
    return "/";
  }

  bool https_;
  docklink::test::TempDirectory directory_;
  docklink::test::TestCertificates certificates_;
  std::unique_ptr<docklink::test::NginxProcess> nginx_;
  std::unique_ptr<docklink::ports::CurlHttpClient> client_;
};

}  // namespace

TEST_GROUP(CurlHttpConformance) {
  CurlNginxHarness harness{false};
  void setup() override {
    if (docklink::test::NginxProcess::missing()) TEST_EXIT;
    STRCMP_EQUAL("", harness.start().c_str());
  }
};
DOCKLINK_HTTP_CONFORMANCE_TESTS(CurlHttpConformance, harness)

TEST_GROUP(CurlHttpsConformance) {
  CurlNginxHarness harness{true};
  void setup() override {
    if (docklink::test::NginxProcess::missing()) TEST_EXIT;
    STRCMP_EQUAL("", harness.start().c_str());
  }
};
DOCKLINK_HTTP_CONFORMANCE_TESTS(CurlHttpsConformance, harness)
