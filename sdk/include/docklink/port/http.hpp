// The HTTP(S) client contract: what the transfer engine needs to move files (libcurl on Linux, a firmware team's
// own client over mbedTLS on an RTOS). Like the MQTT transport contract, it states for every call which thread
// runs it, what blocks, who owns what and what each return means.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::port {

/// One header line. Names compare case-insensitively (HTTP); values are passed as given.
struct HttpHeader {
  std::string name;   ///< e.g. "Range"
  std::string value;  ///< e.g. "bytes=1024-"
};

/// One request. The engine builds it; the client reads it only during perform().
struct HttpRequest {
  std::string method = "GET";       ///< GET, HEAD, PUT, POST or DELETE.
  std::string url;                  ///< http:// or https://, with the query already encoded.
  std::vector<HttpHeader> headers;  ///< Sent as given (e.g. Range, Authorization, x-amz-*); no Content-Length.
  std::uint64_t body_size = 0;      ///< Bytes the body source delivers (sent as Content-Length); 0: no body.
  std::chrono::milliseconds connect_timeout{10000};  ///< TCP + TLS handshake; beyond it: kTimeout.
  /// No byte moved either way for this long (also while a server that sent the headers goes quiet): kTimeout.
  std::chrono::milliseconds stall_timeout{30000};
  /// Polled by the client at least every 100 ms while the request runs: when it becomes true the request stops
  /// and perform() returns kShutdown with a message saying it was cancelled. Not owned; may be null.
  const std::atomic<bool>* cancel = nullptr;
};

/// Supplies a request body. Called on the thread that runs perform(), never concurrently.
class DOCKLINK_API HttpBodySource {
 public:
  virtual ~HttpBodySource() = default;
  /// Copies up to `capacity` bytes into `buffer` and returns how many; 0 only at the end of the body (after
  /// HttpRequest::body_size bytes). An error aborts the request and perform() returns it. May block (file I/O,
  /// bandwidth pacing): the time spent in here is not a stall (the client's stall clock restarts when it returns),
  /// so a low bandwidth limit never times a request out.
  virtual Result<std::size_t> read(char* buffer, std::size_t capacity) = 0;
  /// Starts the body again from its first byte (a client may need this after a redirect or an authentication
  /// round trip). Return an error when the body cannot be re-read; the request then fails with it.
  virtual Status rewind() = 0;
};

/// Receives a response. Called on the thread that runs perform(), never concurrently, in this order: on_status
/// once per response (for a redirect that the client follows, only for the final response), then on_body for
/// each piece of the body, in order (never for HEAD). Once a method returned an error, neither is called again
/// for that request.
class DOCKLINK_API HttpResponseSink {
 public:
  virtual ~HttpResponseSink() = default;
  /// The status line and headers of the (final) response, before any body byte. An error aborts the request
  /// (e.g. the file changed) and perform() returns it.
  virtual Status on_status(int status, const std::vector<HttpHeader>& headers) = 0;
  /// The next piece of the body (decoded from chunked transfer encoding). Valid only during the call. An error
  /// aborts the request and perform() returns it. May block (disk writes, bandwidth pacing): the time spent in
  /// here is not a stall (the client's stall clock restarts when it returns).
  virtual Status on_body(std::string_view piece) = 0;
};

/// An HTTP(S) client. Thread-safe: several threads may run perform() at once (each its own request).
/// TLS verifies the server's certificate chain and its hostname unless the client was built with verification
/// explicitly turned off. Redirects (3xx with Location) are followed, at most 5 (more: kIo).
/// Checked by tests/conformance/http_conformance.hpp.
class DOCKLINK_API HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Runs one request to the end and blocks until then. `body` is required when request.body_size > 0 and
  /// ignored otherwise. Returns ok whenever a response was received, whatever its HTTP status (the sink saw
  /// it); otherwise: kTimeout (connect or stall timeout), kAuth (TLS verification failed: certificate, chain,
  /// hostname), kIo (DNS, refused or cut connection, TLS errors other than verification, a body source that
  /// ends before body_size bytes), kShutdown (cancelled), kInvalidArgument (a URL that is not http:// or
  /// https://, a method not listed in HttpRequest, checked before any I/O), or the error a source or sink
  /// returned, code and message as they were. An error that comes before a response (refused, TLS
  /// verification, invalid request) leaves the sink uncalled. Never throws.
  virtual Status perform(const HttpRequest& request, HttpBodySource* body, HttpResponseSink& sink) = 0;
};

}  // namespace docklink::port
