// HTTP conformance checks of requests that fail: refused by the sink or the source, cancelled, stalled, cut,
// refused by the server, or malformed. Each must end with the status port::HttpClient::perform names.
#include <atomic>
#include <chrono>
#include <string>

#include "http_conformance_io.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "http_conformance.hpp"

namespace docklink::conformance {

namespace {

using detail::RecordingSink;

port::HttpRequest get(const std::string& url) {
  port::HttpRequest request;
  request.url = url;
  return request;
}

void check_code(StatusCode expected, const Status& actual, const std::string& what) {
  const std::string text = what + ": expected " + to_string(expected) + ", got " + actual.to_string();
  CHECK_TRUE_TEXT(actual.code() == expected, text.c_str());
}

}  // namespace

void http_sink_error_aborts(HttpHarness& harness) {
  harness.publish("refused.bin", deterministic_bytes(256 * 1024, 20));
  const std::string url = harness.url(HttpLocation::kFiles, "refused.bin");
  RecordingSink on_status;
  on_status.refuse_status = Status(StatusCode::kRejected, "conformance: the status is refused");
  const Status first = harness.client().perform(get(url), nullptr, on_status);
  check_code(StatusCode::kRejected, first, "refused on_status");
  STRCMP_EQUAL("conformance: the status is refused", first.message().c_str());
  LONGS_EQUAL(0, on_status.calls_after_error);
  LONGS_EQUAL(0, on_status.pieces);

  RecordingSink on_body;
  on_body.refuse_body = Status(StatusCode::kIo, "conformance: the disk is full");
  on_body.refuse_body_after = 1;
  const Status second = harness.client().perform(get(url), nullptr, on_body);
  check_code(StatusCode::kIo, second, "refused on_body");
  STRCMP_EQUAL("conformance: the disk is full", second.message().c_str());
  LONGS_EQUAL(0, on_body.calls_after_error);
  LONGS_EQUAL(1, on_body.pieces);
}

void http_source_error_aborts(HttpHarness& harness) {
  const std::string url = harness.url(HttpLocation::kUpload, "unread.bin");
  if (url.empty()) return detail::print_skipped(__func__, "this server takes no uploads");
  detail::StringSource source(std::string(4096, 'x'), Status(StatusCode::kNotFound, "conformance: file vanished"));
  port::HttpRequest request = get(url);
  request.method = "PUT";
  request.body_size = 4096;
  RecordingSink sink;
  const Status status = harness.client().perform(request, &source, sink);
  check_code(StatusCode::kNotFound, status, "failing source");
  STRCMP_EQUAL("conformance: file vanished", status.message().c_str());
}

void http_cancel_stops_a_stalled_request(HttpHarness& harness) {
  const std::string url = harness.url(HttpLocation::kStall, "cancel.bin");
  if (url.empty()) return detail::print_skipped(__func__, "this server cannot stall");
  harness.publish("cancel.bin", deterministic_bytes(64 * 1024, 21));
  std::atomic<bool> cancel{false};
  port::HttpRequest request = get(url);
  request.stall_timeout = std::chrono::minutes(10);  // only the flag can end it before the ctest timeout
  request.cancel = &cancel;
  RecordingSink sink;
  sink.cancel_on_body = &cancel;  // set while the server has gone quiet
  check_code(StatusCode::kShutdown, harness.client().perform(request, nullptr, sink), "cancelled");
  CHECK_TRUE(sink.pieces > 0);
}

void http_stall_times_out(HttpHarness& harness) {
  const std::string url = harness.url(HttpLocation::kStall, "stall.bin");
  if (url.empty()) return detail::print_skipped(__func__, "this server cannot stall");
  harness.publish("stall.bin", deterministic_bytes(64 * 1024, 22));
  port::HttpRequest request = get(url);
  request.stall_timeout = std::chrono::milliseconds(300);
  RecordingSink sink;
  check_code(StatusCode::kTimeout, harness.client().perform(request, nullptr, sink), "stalled");
  LONGS_EQUAL(1, sink.status_calls);
  CHECK_TRUE(sink.body.size() < 64 * 1024);
}

void http_blocking_sink_is_not_a_stall(HttpHarness& harness) {
  const std::string content = deterministic_bytes(96 * 1024, 24);
  harness.publish("paced.bin", content);
  port::HttpRequest request = get(harness.url(HttpLocation::kFiles, "paced.bin"));
  request.stall_timeout = std::chrono::milliseconds(100);
  RecordingSink sink;
  sink.block_pieces = 3;
  sink.block_for = std::chrono::milliseconds(250);
  const Status status = harness.client().perform(request, nullptr, sink);
  CHECK_TEXT(status.is_ok(), status.to_string().c_str());
  CHECK_TRUE(sink.body == content);
}

void http_broken_connections_are_io(HttpHarness& harness) {
  const std::string cut_url = harness.url(HttpLocation::kCut, "cut.bin");
  if (!cut_url.empty()) {
    harness.publish("cut.bin", deterministic_bytes(64 * 1024, 23));
    RecordingSink cut;
    check_code(StatusCode::kIo, harness.client().perform(get(cut_url), nullptr, cut), "cut");
    CHECK_TRUE(cut.body.size() < 64 * 1024);
  }
  RecordingSink refused;
  check_code(StatusCode::kIo, harness.client().perform(get(harness.refused_url()), nullptr, refused), "refused");
  LONGS_EQUAL(0, refused.status_calls);
}

void http_untrusted_server_is_auth(HttpHarness& harness) {
  const std::string url = harness.untrusted_url();
  if (url.empty()) return detail::print_skipped(__func__, "this server has no TLS listener");
  RecordingSink sink;
  check_code(StatusCode::kAuth, harness.client().perform(get(url), nullptr, sink), "untrusted certificate");
  LONGS_EQUAL(0, sink.status_calls);
}

void http_bad_requests_are_invalid(HttpHarness& harness) {
  harness.publish("bad.bin", "x");
  port::HttpRequest brew = get(harness.url(HttpLocation::kFiles, "bad.bin"));
  brew.method = "BREW";
  RecordingSink sink;
  check_code(StatusCode::kInvalidArgument, harness.client().perform(brew, nullptr, sink), "method BREW");
  check_code(StatusCode::kInvalidArgument, harness.client().perform(get("ftp://127.0.0.1/bad.bin"), nullptr, sink),
             "an ftp:// URL");
  LONGS_EQUAL(0, sink.status_calls);
}

}  // namespace docklink::conformance
