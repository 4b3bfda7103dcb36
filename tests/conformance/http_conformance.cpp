// HTTP conformance checks of responses that arrive: bodies, ranges, HEAD, statuses, redirects, uploads and
// concurrent requests (http_conformance_failures.cpp has the requests that fail).
#include <string>
#include <thread>
#include <vector>

#include "http_conformance_io.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "http_conformance.hpp"

namespace docklink::conformance {

namespace {

using detail::RecordingSink;

constexpr std::size_t kFileSize = 300 * 1024;

port::HttpRequest request_for(const std::string& url, const std::string& method = "GET") {
  port::HttpRequest request;
  request.method = method;
  request.url = url;
  return request;
}

void perform_ok(HttpHarness& harness, const port::HttpRequest& request, RecordingSink& sink,
                port::HttpBodySource* body = nullptr) {
  const Status status = harness.client().perform(request, body, sink);
  CHECK_TRUE_TEXT(status.is_ok(), (request.method + " " + request.url + ": " + status.to_string()).c_str());
}

}  // namespace

void http_get_streams_the_body(HttpHarness& harness) {
  const std::string content = deterministic_bytes(kFileSize, 1);
  harness.publish("get.bin", content);
  RecordingSink sink;
  perform_ok(harness, request_for(harness.url(HttpLocation::kFiles, "get.bin")), sink);
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(200, sink.status);
  CHECK_FALSE(sink.body_before_status);
  STRCMP_EQUAL(std::to_string(kFileSize).c_str(), sink.header("cOnTeNt-LeNgTh").c_str());
  LONGS_EQUAL(kFileSize, sink.body.size());
  CHECK_TRUE(sink.body == content);
}

void http_range_gets_the_bytes_asked(HttpHarness& harness) {
  const std::string content = deterministic_bytes(kFileSize, 2);
  harness.publish("range.bin", content);
  port::HttpRequest request = request_for(harness.url(HttpLocation::kFiles, "range.bin"));
  request.headers = {{"Range", "bytes=1000-1999"}};
  RecordingSink middle;
  perform_ok(harness, request, middle);
  LONGS_EQUAL(206, middle.status);
  STRCMP_EQUAL(("bytes 1000-1999/" + std::to_string(kFileSize)).c_str(), middle.header("Content-Range").c_str());
  CHECK_TRUE(middle.body == content.substr(1000, 1000));
  request.headers = {{"Range", "bytes=123457-"}};  // resuming a download
  RecordingSink tail;
  perform_ok(harness, request, tail);
  LONGS_EQUAL(206, tail.status);
  CHECK_TRUE(tail.body == content.substr(123457));
}

void http_head_has_no_body(HttpHarness& harness) {
  harness.publish("head.bin", deterministic_bytes(kFileSize, 3));
  RecordingSink sink;
  perform_ok(harness, request_for(harness.url(HttpLocation::kFiles, "head.bin"), "HEAD"), sink);
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(200, sink.status);
  STRCMP_EQUAL(std::to_string(kFileSize).c_str(), sink.header("Content-Length").c_str());
  LONGS_EQUAL(0, sink.pieces);
}

void http_error_status_is_a_response(HttpHarness& harness) {
  RecordingSink sink;
  perform_ok(harness, request_for(harness.url(HttpLocation::kFiles, "missing.bin")), sink);
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(404, sink.status);
}

void http_redirect_is_followed(HttpHarness& harness) {
  const std::string url = harness.url(HttpLocation::kRedirect, "moved.bin");
  if (url.empty()) return detail::print_skipped(__func__, "this server cannot redirect");
  const std::string content = deterministic_bytes(4096, 4);
  harness.publish("moved.bin", content);
  RecordingSink sink;
  perform_ok(harness, request_for(url), sink);
  LONGS_EQUAL(1, sink.status_calls);
  LONGS_EQUAL(200, sink.status);
  CHECK_TRUE(sink.body == content);
}

void http_put_streams_the_body(HttpHarness& harness) {
  const std::string url = harness.url(HttpLocation::kUpload, "put.bin");
  if (url.empty()) return detail::print_skipped(__func__, "this server takes no uploads");
  const std::string content = deterministic_bytes(200 * 1024 + 17, 5);
  detail::StringSource source(content);
  port::HttpRequest request = request_for(url, "PUT");
  request.body_size = content.size();
  RecordingSink sink;
  perform_ok(harness, request, sink, &source);
  LONGS_EQUAL(1, sink.status_calls);
  CHECK_TRUE_TEXT(sink.status >= 200 && sink.status < 300, std::to_string(sink.status).c_str());
  const auto stored = harness.uploaded("put.bin");
  CHECK_TRUE(stored.has_value());
  LONGS_EQUAL(content.size(), stored->size());
  CHECK_TRUE(*stored == content);
}

void http_concurrent_requests_are_separate(HttpHarness& harness) {
  constexpr int kThreads = 4;
  std::vector<std::string> contents;
  for (int t = 0; t < kThreads; ++t) {
    contents.push_back(
        deterministic_bytes(kFileSize / 2 + static_cast<std::size_t>(t) * 1001, 10u + static_cast<unsigned>(t)));
    harness.publish("parallel" + std::to_string(t) + ".bin", contents.back());
  }
  std::vector<std::string> urls;
  for (int t = 0; t < kThreads; ++t) {
    urls.push_back(harness.url(HttpLocation::kFiles, "parallel" + std::to_string(t) + ".bin"));
  }
  std::vector<RecordingSink> sinks(kThreads);
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = harness.client().perform(request_for(urls[t]), nullptr, sinks[t]); });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < kThreads; ++t) {
    CHECK_TRUE_TEXT(results[t].is_ok(), results[t].to_string().c_str());
    LONGS_EQUAL(200, sinks[t].status);
    CHECK_TRUE_TEXT(sinks[t].body == contents[t], ("thread " + std::to_string(t)).c_str());
  }
}

}  // namespace docklink::conformance
