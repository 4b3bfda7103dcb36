// The sink sees only the final response: interim 1xx responses and the redirects libcurl follows (their headers
// and bodies) are skipped here, so on_status runs once per perform().
#include "transfer.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "docklink/config_defaults.hpp"
#include "header_lines.hpp"

namespace docklink::ports::curl {

Transfer::Transfer(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink)
    : request_(request), body_(body), sink_(sink), last_activity_(Clock::now()) {}

void Transfer::fail(Status status) {
  if (error_.is_ok()) error_ = std::move(status);
}

bool Transfer::keep_going(Clock::time_point now) {
  if (!error_.is_ok()) return false;
  if (request_.cancel != nullptr && request_.cancel->load(std::memory_order_acquire)) {
    fail(Status(StatusCode::kShutdown, "the request was cancelled"));
    return false;
  }
  // Before the connection exists the connect timeout (libcurl's) governs; the stall clock starts with it.
  if (connected_ && now - last_activity_ > request_.stall_timeout) {
    fail(Status(StatusCode::kTimeout, "no byte moved for " + std::to_string(request_.stall_timeout.count()) + " ms"));
    return false;
  }
  return true;
}

bool Transfer::will_follow() const {
  if (status_ < 300 || status_ > 399 || status_ == 304 || redirects_ >= defaults::kHttpMaxRedirects) return false;
  return std::any_of(headers_.begin(), headers_.end(),
                     [](const port::HttpHeader& header) { return same_header_name(header.name, "Location"); });
}

bool Transfer::end_of_headers() {
  if (status_ < 200) return true;  // 100 Continue and other interim responses: the real one follows
  if (will_follow()) {
    ++redirects_;
    return true;
  }
  delivered_ = true;
  if (Status accepted = sink_.on_status(status_, headers_); !accepted) {
    fail(std::move(accepted));
    return false;
  }
  return true;
}

bool Transfer::header_line(std::string_view line) {
  moved();
  if (delivered_) return true;  // trailers of a chunked body
  if (std::optional<int> status = status_of(line)) {
    status_ = *status;
    headers_.clear();
    return true;
  }
  if (without_line_end(line).empty()) return end_of_headers();
  if (std::optional<port::HttpHeader> header = header_of(line)) headers_.push_back(std::move(*header));
  return true;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  const std::size_t bytes = size * count;
  return static_cast<Transfer*>(self)->header_line(std::string_view(data, bytes)) ? bytes : 0;
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  const std::size_t bytes = size * count;
  transfer.moved();
  if (!transfer.delivered_) return bytes;  // the body of a redirect being followed
  if (Status taken = transfer.sink_.on_body(std::string_view(data, bytes)); !taken) {
    transfer.fail(std::move(taken));
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  transfer.moved();  // the sink may have blocked (disk, bandwidth pacing): that time is not the network's stall
  return bytes;
}

std::size_t Transfer::read_body(char* buffer, std::size_t capacity) {
  const std::uint64_t remaining = request_.body_size - sent_;
  capacity = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining));
  if (capacity == 0) return 0;
  Result<std::size_t> read = body_->read(buffer, capacity);
  if (!read) {
    fail(read.status());
    return CURL_READFUNC_ABORT;
  }
  if (read.value() == 0 || read.value() > capacity) {
    fail(Status(StatusCode::kIo, "the body source gave " + std::to_string(sent_) + " of " +
                                     std::to_string(request_.body_size) + " bytes"));
    return CURL_READFUNC_ABORT;
  }
  sent_ += read.value();
  moved();
  return read.value();
}

std::size_t Transfer::on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
  return static_cast<Transfer*>(self)->read_body(buffer, size * count);
}

int Transfer::on_seek(void* self, curl_off_t offset, int origin) {
  auto& transfer = *static_cast<Transfer*>(self);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  if (Status rewound = transfer.body_->rewind(); !rewound) {
    transfer.fail(std::move(rewound));
    return CURL_SEEKFUNC_FAIL;
  }
  transfer.sent_ = 0;
  return CURL_SEEKFUNC_OK;
}

int Transfer::on_progress(void* self, curl_off_t, curl_off_t downloaded, curl_off_t, curl_off_t uploaded) {
  auto& transfer = *static_cast<Transfer*>(self);
  if (downloaded + uploaded != transfer.progress_total_) {
    transfer.progress_total_ = downloaded + uploaded;
    transfer.moved();
  }
  return transfer.keep_going(Clock::now()) ? 0 : 1;  // non-zero: CURLE_ABORTED_BY_CALLBACK
}

int Transfer::on_connected(void* self, char*, char*, int, int) {
  auto& transfer = *static_cast<Transfer*>(self);
  transfer.connected_ = true;
  transfer.moved();
  return CURL_PREREQFUNC_OK;
}

}  // namespace docklink::ports::curl
