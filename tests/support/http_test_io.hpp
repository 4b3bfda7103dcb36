// A request body from a string and a sink that records a response: what tests of an HttpClient, and tests that
// talk to a real server through one, hand to perform().
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/http.hpp"
#include "http_test_values.hpp"  // tests/conformance

namespace docklink::test {

/// The whole content of the file at `path` (empty when it cannot be read).
inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

using conformance::deterministic_bytes;

/// Records what the client hands on; can fail on the status or the first body piece, or set a cancel flag.
class RecordingSink : public port::HttpResponseSink {
 public:
  Status on_status(int code, const std::vector<port::HttpHeader>& lines) override {
    ++status_calls;
    status = code;
    headers = lines;
    if (cancel_on_status != nullptr) cancel_on_status->store(true);
    return fail_status;
  }
  Status on_body(std::string_view piece) override {
    body.append(piece);
    return fail_body;
  }
  /// The value of the first header named `name` in any case; empty when there is none.
  std::string header(const std::string& name) const { return conformance::header_value(headers, name); }

  int status_calls = 0;
  int status = 0;
  std::vector<port::HttpHeader> headers;
  std::string body;
  Status fail_status;
  Status fail_body;
  std::atomic<bool>* cancel_on_status = nullptr;
};

/// A body from a string, in small pieces; counts rewinds.
class StringSource : public port::HttpBodySource {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  Result<std::size_t> read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, text_.size() - offset_, std::size_t{4096}});
    text_.copy(buffer, n, offset_);
    offset_ += n;
    return n;
  }
  Status rewind() override {
    ++rewinds;
    offset_ = 0;
    return Status::ok();
  }
  int rewinds = 0;

 private:
  std::string text_;
  std::size_t offset_ = 0;
};

}  // namespace docklink::test
