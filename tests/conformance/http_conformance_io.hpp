// What the HTTP conformance checks hand to perform(): a sink that records the order of the calls it gets and can
// refuse or cancel, and a body source that can fail. Internal to the suite.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "docklink/port/http.hpp"
#include "http_test_values.hpp"

namespace docklink::conformance::detail {

/// Records a response; can refuse the status or the body after some bytes, or set a cancel flag on the first
/// body piece. Counts calls that came after it returned an error (the contract allows none).
class RecordingSink : public port::HttpResponseSink {
 public:
  Status on_status(int code, const std::vector<port::HttpHeader>& lines) override {
    if (failed_) ++calls_after_error;
    ++status_calls;
    status = code;
    headers = lines;
    failed_ = !refuse_status.is_ok();
    return refuse_status;
  }
  Status on_body(std::string_view piece) override {
    if (failed_) ++calls_after_error;
    if (status_calls == 0) body_before_status = true;
    ++pieces;
    body.append(piece);
    if (cancel_on_body != nullptr) cancel_on_body->store(true);
    // A sink that is slow to take a piece (a paced download), the behaviour under test: not synchronisation.
    if (pieces <= block_pieces) std::this_thread::sleep_for(block_for);
    if (!refuse_body.is_ok() && body.size() >= refuse_body_after) {
      failed_ = true;
      return refuse_body;
    }
    return Status::ok();
  }
  /// The value of the first header named `name` in any case; empty when there is none.
  std::string header(const std::string& name) const { return header_value(headers, name); }

  int status_calls = 0;
  int status = 0;
  std::vector<port::HttpHeader> headers;
  std::string body;
  int pieces = 0;
  bool body_before_status = false;
  int calls_after_error = 0;
  Status refuse_status;
  Status refuse_body;
  std::size_t refuse_body_after = 0;
  std::atomic<bool>* cancel_on_body = nullptr;
  int block_pieces = 0;  ///< The first this many on_body calls each take block_for before returning.
  std::chrono::milliseconds block_for{0};

 private:
  bool failed_ = false;
};

/// A body from a string, in pieces of at most 7001 bytes (no power of two, so no buffer size lines up); or an
/// error on the first read.
class StringSource : public port::HttpBodySource {
 public:
  explicit StringSource(std::string text, Status failure = Status::ok())
      : text_(std::move(text)), failure_(std::move(failure)) {}
  Result<std::size_t> read(char* buffer, std::size_t capacity) override {
    if (!failure_.is_ok()) return failure_;
    const std::size_t n = std::min({capacity, text_.size() - offset_, std::size_t{7001}});
    text_.copy(buffer, n, offset_);
    offset_ += n;
    return n;
  }
  Status rewind() override {
    offset_ = 0;
    return Status::ok();
  }

 private:
  std::string text_;
  Status failure_;
  std::size_t offset_ = 0;
};

/// Says on the test output that a check was skipped because the harness's server cannot do what it needs.
inline void print_skipped(const char* check, const char* why) { std::printf("\nSKIPPED: %s: %s\n", check, why); }

}  // namespace docklink::conformance::detail
