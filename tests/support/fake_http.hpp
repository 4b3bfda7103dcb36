// A scripted HttpClient for the transfer engine's unit tests: each perform() takes the next scripted answer,
// which may serve a file with real Range/If-Range semantics, misbehave like a server that ignores Range, cut the
// connection, fail before any response, or answer with any status. Every request is recorded, with its body.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "docklink/port/http.hpp"

namespace docklink::test {

/// One scripted answer.
struct FakeResponse {
  Status failure;                         ///< Not ok: perform() returns it without calling the sink.
  int status = 200;                       ///< The HTTP status handed to the sink.
  std::vector<port::HttpHeader> headers;  ///< Response headers.
  std::string body;                       ///< The body, delivered in pieces of piece_size.
  std::size_t piece_size = 1000;
  std::optional<std::size_t> cut_after;  ///< Deliver only this many body bytes, then fail with kIo (a cut).
};

/// A file on the fake server.
struct FakeFile {
  std::string content;
  std::string etag = "\"v1\"";  ///< Empty: no ETag header.
  bool honour_range = true;     ///< False: answers 200 with the whole file to every request (Range ignored).
};

/// The value of header `name` in `request` (case-sensitive name as the engine sends it), or none.
std::optional<std::string> request_header(const port::HttpRequest& request, const std::string& name);

/// The answer a real server gives for `file` to `request`: 200, 206 (Range, If-Range matching) or 416.
FakeResponse serve(const FakeFile& file, const port::HttpRequest& request);

/// Answers requests from a script; thread-safe. Refuses what port::HttpClient::perform refuses (a URL that is not
/// http(s), an unknown method, a body without a source) with kInvalidArgument before taking an answer.
class FakeHttpClient : public port::HttpClient {
 public:
  using Answer = std::function<FakeResponse(const port::HttpRequest&)>;

  /// Appends an answer computed from the request.
  void then(Answer answer);
  /// Appends a fixed answer.
  void then(FakeResponse response);
  /// Appends `times` answers serving `file` (real Range semantics).
  void then_serve(const FakeFile& file, int times = 1);
  /// Called after each body piece was accepted, with the bytes delivered so far in this response (tests cancel or
  /// pause from it, as another thread would).
  void on_piece(std::function<void(std::size_t)> hook);
  /// Called at the start of each perform(), before the request body is read (a test moves its clock there: the
  /// time a real client spends connecting).
  void on_connect(std::function<void()> hook);

  Status perform(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink) override;

  /// Every request performed so far.
  std::vector<port::HttpRequest> requests() const;
  /// The request body each request sent (read to its end before the answer), in the order of requests().
  std::vector<std::string> bodies() const;
  /// The size of every body read so far, in order (what the source gave each time).
  std::vector<std::size_t> read_sizes() const;
  /// Scripted answers not used yet.
  std::size_t pending() const;

 private:
  Status deliver(const FakeResponse& response, const port::HttpRequest& request, port::HttpResponseSink& sink);

  mutable std::mutex mutex_;
  std::deque<Answer> script_;
  std::vector<port::HttpRequest> requests_;
  std::vector<std::string> bodies_;
  std::function<void(std::size_t)> piece_hook_;
  std::function<void()> connect_hook_;
  std::vector<std::size_t> read_sizes_;
};

}  // namespace docklink::test
