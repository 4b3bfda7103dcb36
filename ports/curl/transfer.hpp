// One request's state while libcurl runs it: the libcurl callbacks (header, body, upload, rewind, progress)
// forward to the engine's source and sink, and the cancel flag and stall timeout are checked here.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "docklink/port/http.hpp"
#include "docklink/status.hpp"

namespace docklink::ports::curl {

/// Lives on the stack of perform(); every callback runs on that thread. The first error (from the sink, the
/// source, a cancel or a stall) is kept and ends the transfer; perform() returns it in place of libcurl's code.
class Transfer {
 public:
  using Clock = std::chrono::steady_clock;

  Transfer(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink);

  /// Checks the cancel flag and (once connected) the stall timeout; false when the transfer must stop, with
  /// the reason in error().
  bool keep_going(Clock::time_point now);
  /// The error that stopped the transfer (ok if none did).
  const Status& error() const { return error_; }
  /// True once the final response's status went to the sink.
  bool status_delivered() const { return delivered_; }
  /// libcurl's error text buffer (CURLOPT_ERRORBUFFER).
  char* error_buffer() { return error_buffer_; }

  // libcurl callbacks; `self` is the Transfer.
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self);
  static int on_seek(void* self, curl_off_t offset, int origin);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
  static int on_connected(void* self, char*, char*, int, int);

 private:
  bool header_line(std::string_view line);
  bool end_of_headers();
  bool will_follow() const;
  std::size_t read_body(char* buffer, std::size_t capacity);
  void moved() { last_activity_ = Clock::now(); }
  void fail(Status status);

  const port::HttpRequest& request_;
  port::HttpBodySource* body_;
  port::HttpResponseSink& sink_;
  Status error_;
  int status_ = 0;
  std::vector<port::HttpHeader> headers_;
  bool delivered_ = false;
  int redirects_ = 0;
  std::uint64_t sent_ = 0;
  curl_off_t progress_total_ = 0;
  bool connected_ = false;
  Clock::time_point last_activity_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace docklink::ports::curl
