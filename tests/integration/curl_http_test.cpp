// CurlHttpClient against a real nginx on loopback (tests/support/nginx_process.hpp): what port::HttpClient
// promises, status by status, over HTTP and HTTPS with certificates made at run time.
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "docklink/ports/curl_http_client.hpp"
#include "http_test_io.hpp"       // RecordingSink, StringSource
#include "mosquitto_process.hpp"  // free_loopback_port
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory, make_test_certificates
#include "test_ports.hpp"         // RecordingLog

// clang-format off
#include "CppUTest/TestHarness.h"
// clang-format on

using namespace docklink;
using test::RecordingSink;
using test::StringSource;

namespace {

const std::string kContent = test::deterministic_bytes(64 * 1024, 12345);

std::unique_ptr<ports::CurlHttpClient> make_client(ports::CurlHttpClientOptions options = {}) {
  auto created = ports::CurlHttpClient::create(std::move(options));
  CHECK_TEXT(created.is_ok(), created.status().to_string().c_str());
  return std::move(created).value();
}

port::HttpRequest get(const std::string& url) {
  port::HttpRequest request;
  request.url = url;
  return request;
}

}  // namespace

TEST_GROUP(CurlHttp) {
  std::unique_ptr<test::NginxProcess> nginx;
  std::unique_ptr<ports::CurlHttpClient> client;
  RecordingSink sink;

  void setup() override {
    if (test::NginxProcess::missing()) TEST_EXIT;
    nginx = std::make_unique<test::NginxProcess>();
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    CHECK(nginx->write_file("data.bin", kContent));
    client = make_client();
  }
  void teardown() override {
    client.reset();
    nginx.reset();
  }
  Status perform(const port::HttpRequest& request, port::HttpBodySource* body = nullptr) {
    return client->perform(request, body, sink);
  }
};

TEST(CurlHttp, GetsAWholeFile) {
  Status status = perform(get(nginx->http_url("/files/data.bin")));
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(200, sink.status);
  STRCMP_EQUAL(std::to_string(kContent.size()).c_str(), sink.header("content-length").c_str());
  CHECK(sink.body == kContent);
}

TEST(CurlHttp, RangeRequestGets206AndTheRightBytes) {
  port::HttpRequest request = get(nginx->http_url("/files/data.bin"));
  request.headers = {{"Range", "bytes=1000-1999"}};
  CHECK(perform(request).is_ok());
  LONGS_EQUAL(206, sink.status);
  STRCMP_EQUAL("bytes 1000-1999/65536", sink.header("Content-Range").c_str());
  CHECK(sink.body == kContent.substr(1000, 1000));
}

TEST(CurlHttp, IgnoredRangeGets200WithTheWholeFile) {
  port::HttpRequest request = get(nginx->http_url("/norange/data.bin"));
  request.headers = {{"Range", "bytes=1000-"}};
  CHECK(perform(request).is_ok());
  LONGS_EQUAL(200, sink.status);
  CHECK(sink.body == kContent);
}

TEST(CurlHttp, RedirectIsFollowedAndOnlyTheFinalResponseReported) {
  port::HttpRequest request = get(nginx->http_url("/redirect/data.bin"));
  request.headers = {{"Range", "bytes=10-19"}};  // re-sent on the new request
  CHECK(perform(request).is_ok());
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(206, sink.status);
  CHECK(sink.body == kContent.substr(10, 10));
}

TEST(CurlHttp, EndlessRedirectsFailAfterFive) {
  Status status = perform(get(nginx->http_url("/loop/x")));
  LONGS_EQUAL(static_cast<int>(StatusCode::kIo), static_cast<int>(status.code()));
  CHECK(nginx->access_log_lines(6).size() == 6);  // the first request and five redirects, no more
}

TEST(CurlHttp, NotFoundIsAResponse) {
  Status status = perform(get(nginx->http_url("/files/missing.bin")));
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  LONGS_EQUAL(404, sink.status);
}

TEST(CurlHttp, BearerTokenAccepted) {
  port::HttpRequest request = get(nginx->http_url("/auth/data.bin"));
  request.headers = {{"Authorization", "Bearer docklink-test-token"}};
  CHECK(perform(request).is_ok());
  LONGS_EQUAL(200, sink.status);
  CHECK(sink.body == kContent);
}

TEST(CurlHttp, WrongBearerTokenRefused) {
  port::HttpRequest request = get(nginx->http_url("/auth/data.bin"));
  request.headers = {{"Authorization", "Bearer wrong"}};
  CHECK(perform(request).is_ok());
  LONGS_EQUAL(401, sink.status);
}

TEST(CurlHttp, StalledBodyTimesOut) {
  port::HttpRequest request = get(nginx->http_url("/stall/data.bin"));
  request.stall_timeout = std::chrono::milliseconds(300);
  Status status = perform(request);
  LONGS_EQUAL(static_cast<int>(StatusCode::kTimeout), static_cast<int>(status.code()));
  LONGS_EQUAL(200, sink.status);
  CHECK(!sink.body.empty() && sink.body.size() < kContent.size());  // some bytes came, then none
}

TEST(CurlHttp, CancelStopsARequestWaitingForBytes) {
  std::atomic<bool> cancel{false};
  sink.cancel_on_status = &cancel;
  port::HttpRequest request = get(nginx->http_url("/stall/data.bin"));
  request.cancel = &cancel;
  Status status = perform(request);  // the stall timeout (30 s) would end it much later
  LONGS_EQUAL(static_cast<int>(StatusCode::kShutdown), static_cast<int>(status.code()));
  CHECK(status.message().find("cancel") != std::string::npos);
}

TEST(CurlHttp, CutConnectionIsIo) {
  Status status = perform(get(nginx->http_url("/cut/data.bin")));
  LONGS_EQUAL(static_cast<int>(StatusCode::kIo), static_cast<int>(status.code()));
  LONGS_EQUAL(200, sink.status);
  CHECK(sink.body.size() < kContent.size());
  CHECK(sink.body == kContent.substr(0, sink.body.size()));
}

TEST(CurlHttp, SinkErrorOnStatusAborts) {
  sink.fail_status = Status(StatusCode::kRejected, "the file changed");
  Status status = perform(get(nginx->http_url("/files/data.bin")));
  LONGS_EQUAL(static_cast<int>(StatusCode::kRejected), static_cast<int>(status.code()));
  STRCMP_EQUAL("the file changed", status.message().c_str());
  CHECK(sink.body.empty());
}

TEST(CurlHttp, SinkErrorOnBodyAborts) {
  sink.fail_body = Status(StatusCode::kIo, "disk full");
  Status status = perform(get(nginx->http_url("/files/data.bin")));
  STRCMP_EQUAL("disk full", status.message().c_str());
  CHECK(sink.body.size() < kContent.size());  // nothing after the failing piece
}

TEST(CurlHttp, ConsecutiveRequestsReuseTheConnection) {
  CHECK(perform(get(nginx->http_url("/files/data.bin"))).is_ok());
  CHECK(perform(get(nginx->http_url("/files/missing.bin"))).is_ok());
  const std::vector<std::string> lines = nginx->access_log_lines(2);
  LONGS_EQUAL(2, lines.size());
  const std::string first_connection = lines[0].substr(0, lines[0].find(' '));
  STRCMP_EQUAL((first_connection + " 2 GET /files/missing.bin 404").c_str(), lines[1].c_str());
}

TEST(CurlHttp, PutStreamsTheBody) {
  StringSource source(kContent);
  port::HttpRequest request;
  request.method = "PUT";
  request.url = nginx->http_url("/upload/put.bin");
  request.body_size = kContent.size();
  Status status = perform(request, &source);
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  LONGS_EQUAL(201, sink.status);
  CHECK(test::file_bytes(nginx->uploads_directory() + "/put.bin") == kContent);
}

TEST(CurlHttp, PutRedirectedWith307RewindsTheBody) {
  StringSource source(kContent);
  port::HttpRequest request;
  request.method = "PUT";
  request.url = nginx->http_url("/put-redirect/again.bin");
  request.body_size = kContent.size();
  Status status = perform(request, &source);
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  LONGS_EQUAL(201, sink.status);
  CHECK(test::file_bytes(nginx->uploads_directory() + "/again.bin") == kContent);
}

TEST(CurlHttp, ShortBodySourceIsIo) {
  StringSource source("only this");
  port::HttpRequest request;
  request.method = "PUT";
  request.url = nginx->http_url("/upload/short.bin");
  request.body_size = 1000;
  Status status = perform(request, &source);
  LONGS_EQUAL(static_cast<int>(StatusCode::kIo), static_cast<int>(status.code()));
}

TEST(CurlHttp, RefusedConnectionIsIo) {
  const std::uint16_t port = test::free_loopback_port();
  Status status = perform(get("http://127.0.0.1:" + std::to_string(port) + "/x"));
  LONGS_EQUAL(static_cast<int>(StatusCode::kIo), static_cast<int>(status.code()));
  LONGS_EQUAL(0, sink.status_calls);
}

TEST(CurlHttp, MalformedRequestsAreInvalidArguments) {
  port::HttpRequest request = get("ftp://127.0.0.1/x");
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(perform(request).code()));
  request = get(nginx->http_url("/files/data.bin"));
  request.method = "PATCH";
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(perform(request).code()));
  request = get(nginx->http_url("/files/data.bin"));
  request.headers = {{"X-Test", "a\r\nInjected: yes"}};
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(perform(request).code()));
  request = get(nginx->http_url("/files/data.bin"));
  request.method = "PUT";
  request.body_size = 10;  // and no source
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(perform(request).code()));
  LONGS_EQUAL(0, sink.status_calls);
}

TEST(CurlHttp, ThreadsPerformAtTheSameTime) {
  RecordingSink other;
  Status other_status;
  std::thread second([&] { other_status = client->perform(get(nginx->http_url("/files/data.bin")), nullptr, other); });
  Status status = perform(get(nginx->http_url("/files/data.bin")));
  second.join();
  CHECK(status.is_ok() && other_status.is_ok());
  CHECK(sink.body == kContent && other.body == kContent);
}

TEST_GROUP(CurlHttps) {
  test::TempDirectory directory;
  test::TestCertificates certificates;
  std::unique_ptr<test::NginxProcess> nginx;
  RecordingSink sink;

  void setup() override {
    if (test::NginxProcess::missing()) TEST_EXIT;
    certificates = test::make_test_certificates(directory.path());
    CHECK_TEXT(certificates.error.empty(), certificates.error.c_str());
    test::NginxOptions options;
    options.certificate = certificates.server_certificate;
    options.key = certificates.server_key;
    options.other_certificate = certificates.wrong_name_certificate;  // signed by the right CA, for another name
    options.other_key = certificates.wrong_name_key;
    nginx = std::make_unique<test::NginxProcess>(options);
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    CHECK(nginx->write_file("data.bin", kContent));
  }
  void teardown() override { nginx.reset(); }
  Status fetch(const std::string& url, ports::CurlHttpClientOptions options) {
    return make_client(std::move(options))->perform(get(url), nullptr, sink);
  }
  ports::CurlHttpClientOptions with_ca(const std::string& ca_file) {
    ports::CurlHttpClientOptions options;
    options.ca_file = ca_file;
    return options;
  }
};

TEST(CurlHttps, RightCaWorks) {
  Status status = fetch(nginx->https_url("/files/data.bin"), with_ca(certificates.ca_file));
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  CHECK(sink.body == kContent);
  status = fetch(nginx->https_url("/files/data.bin", "localhost"), with_ca(certificates.ca_file));
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
}

TEST(CurlHttps, WrongCaIsAuth) {
  Status status = fetch(nginx->https_url("/files/data.bin"), with_ca(certificates.other_ca_file));
  LONGS_EQUAL(static_cast<int>(StatusCode::kAuth), static_cast<int>(status.code()));
  LONGS_EQUAL(0, sink.status_calls);
}

TEST(CurlHttps, DefaultTrustStoreRefusesTheTestCa) {
  Status status = fetch(nginx->https_url("/files/data.bin"), {});
  LONGS_EQUAL(static_cast<int>(StatusCode::kAuth), static_cast<int>(status.code()));
}

TEST(CurlHttps, HostnameMismatchIsAuth) {
  Status status = fetch(nginx->other_https_url("/files/data.bin"), with_ca(certificates.ca_file));
  LONGS_EQUAL(static_cast<int>(StatusCode::kAuth), static_cast<int>(status.code()));
  LONGS_EQUAL(0, sink.status_calls);
}

TEST(CurlHttps, InsecureSkipVerifyConnectsAndWarns) {
  test::RecordingLog log;
  ports::CurlHttpClientOptions options;
  options.insecure_skip_verify = true;  // no CA, and a certificate for another name
  options.log = &log;
  Status status = fetch(nginx->other_https_url("/files/data.bin"), options);
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  CHECK(sink.body == kContent);
  bool warned = false;
  for (const std::string& line : log.lines()) warned = warned || line.find("INSECURE") != std::string::npos;
  CHECK(warned);
}

TEST(CurlHttps, UnreadableCaFileIsRefusedAtCreate) {
  ports::CurlHttpClientOptions options;
  options.ca_file = directory.file("absent.crt");
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument),
              static_cast<int>(ports::CurlHttpClient::create(options).status().code()));
}
