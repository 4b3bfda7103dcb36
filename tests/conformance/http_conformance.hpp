// The HTTP client conformance suite: what port::HttpClient (docklink/port/http.hpp) promises the transfer engine,
// written once and run against every HTTP client. The suite talks to a server the harness provides (the tests'
// nginx for a real client, a script for a scripted one) through a handful of locations, each serving the files
// the harness publishes. A port proves itself with one file:
//
//   class MyHttpHarness : public docklink::conformance::HttpHarness { ... };  // the client and its server
//   TEST_GROUP(MyHttpConformance) { MyHttpHarness harness; };
//   DOCKLINK_HTTP_CONFORMANCE_TESTS(MyHttpConformance, harness)
//
// (see curl_http_conformance_test.cpp). Nothing is bounded in time: a client that ignores the cancel flag or the
// stall timeout runs into the test's ctest timeout instead of returning the status the check expects.
#pragma once

#include <optional>
#include <string>

#include "docklink/port/http.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// The server behaviours the checks need, each a location serving the published files.
enum class HttpLocation {
  kFiles,     ///< the file: GET, HEAD, and Range requests answered 206
  kRedirect,  ///< 302 to the file's kFiles URL
  kStall,     ///< the response's headers and about 1 KiB of body, then nothing for minutes
  kCut,       ///< headers promising the whole file, part of the body, then the connection is closed
  kUpload,    ///< PUT stores the request body as the file's new content (2xx)
};

/// The client under test and the server it talks to.
class HttpHarness {
 public:
  virtual ~HttpHarness() = default;
  /// The client under test.
  virtual port::HttpClient& client() = 0;
  /// Makes `content` the file `name` (a short [a-z0-9.] name) on the server.
  virtual void publish(const std::string& name, const std::string& content) = 0;
  /// The URL of file `name` at `location`; empty when this server cannot do that (the check is then skipped).
  virtual std::string url(HttpLocation location, const std::string& name) = 0;
  /// The body the server stored for an upload of `name`, or none.
  virtual std::optional<std::string> uploaded(const std::string& name) = 0;
  /// A URL whose server refuses the connection.
  virtual std::string refused_url() = 0;
  /// An https:// URL whose server's certificate fails the client's verification (it names another host, or
  /// chains to a CA the client does not trust); empty when there is none (the check is then skipped).
  virtual std::string untrusted_url() { return {}; }
};

/// GET: ok, one on_status (200, before any body byte) with the headers (Content-Length found by any case of
/// its name), the 300 KiB binary body in order.
void http_get_streams_the_body(HttpHarness& harness);
/// Range requests: "bytes=1000-1999" and "bytes=N-" are answered 206 with Content-Range and exactly those bytes.
void http_range_gets_the_bytes_asked(HttpHarness& harness);
/// HEAD: the status and headers, no body.
void http_head_has_no_body(HttpHarness& harness);
/// A 404 is a response: perform() is ok and the sink saw 404.
void http_error_status_is_a_response(HttpHarness& harness);
/// A redirect is followed; only the final response reaches the sink.
void http_redirect_is_followed(HttpHarness& harness);
/// PUT streams a 200 KiB body from the source; the server stored exactly it.
void http_put_streams_the_body(HttpHarness& harness);
/// An error from on_status or on_body ends the request with that error, and the sink hears nothing more.
void http_sink_error_aborts(HttpHarness& harness);
/// An error from the body source ends the request with that error.
void http_source_error_aborts(HttpHarness& harness);
/// The cancel flag stops a request whose server sends nothing more: kShutdown.
void http_cancel_stops_a_stalled_request(HttpHarness& harness);
/// No byte for longer than stall_timeout: kTimeout.
void http_stall_times_out(HttpHarness& harness);
/// A sink that blocks longer than stall_timeout on its pieces (bandwidth pacing) while the server keeps sending
/// is no stall: the whole body, ok.
void http_blocking_sink_is_not_a_stall(HttpHarness& harness);
/// A connection cut inside the body: kIo. A refused connection: kIo, and the sink never called.
void http_broken_connections_are_io(HttpHarness& harness);
/// A server whose TLS certificate fails verification: kAuth, and the sink never called.
void http_untrusted_server_is_auth(HttpHarness& harness);
/// A method outside GET, HEAD, PUT, POST, DELETE and a URL that is not http(s): kInvalidArgument, sink not called.
void http_bad_requests_are_invalid(HttpHarness& harness);
/// Four threads performing at once each get their own response.
void http_concurrent_requests_are_separate(HttpHarness& harness);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per HTTP conformance check in `group`, each on `harness` (an HttpHarness).
#define DOCKLINK_HTTP_CONFORMANCE_TESTS(group, harness)                                                            \
  TEST(group, GetStreamsTheBody) { docklink::conformance::http_get_streams_the_body(harness); }                    \
  TEST(group, RangeGetsTheBytesAsked) { docklink::conformance::http_range_gets_the_bytes_asked(harness); }         \
  TEST(group, HeadHasNoBody) { docklink::conformance::http_head_has_no_body(harness); }                            \
  TEST(group, ErrorStatusIsAResponse) { docklink::conformance::http_error_status_is_a_response(harness); }         \
  TEST(group, RedirectIsFollowed) { docklink::conformance::http_redirect_is_followed(harness); }                   \
  TEST(group, PutStreamsTheBody) { docklink::conformance::http_put_streams_the_body(harness); }                    \
  TEST(group, SinkErrorAborts) { docklink::conformance::http_sink_error_aborts(harness); }                         \
  TEST(group, SourceErrorAborts) { docklink::conformance::http_source_error_aborts(harness); }                     \
  TEST(group, CancelStopsAStalledRequest) { docklink::conformance::http_cancel_stops_a_stalled_request(harness); } \
  TEST(group, StallTimesOut) { docklink::conformance::http_stall_times_out(harness); }                             \
  TEST(group, BlockingSinkIsNotAStall) { docklink::conformance::http_blocking_sink_is_not_a_stall(harness); }      \
  TEST(group, BrokenConnectionsAreIo) { docklink::conformance::http_broken_connections_are_io(harness); }          \
  TEST(group, UntrustedServerIsAuth) { docklink::conformance::http_untrusted_server_is_auth(harness); }            \
  TEST(group, BadRequestsAreInvalid) { docklink::conformance::http_bad_requests_are_invalid(harness); }            \
  TEST(group, ConcurrentRequestsAreSeparate) { docklink::conformance::http_concurrent_requests_are_separate(harness); }
