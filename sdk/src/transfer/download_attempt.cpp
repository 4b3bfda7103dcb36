// One HTTP request of a download and how its response is read (RFC 9110 ranges, validators).
#include <algorithm>

#include "download_http.hpp"
#include "download_run.hpp"

namespace docklink::transfer::detail {

AttemptOutcome DownloadRun::attempt() {
  attempt_failure_ = {};
  accepting_body_ = already_complete_ = false;
  server_total_.reset();
  response_end_.reset();
  asked_end_ = paced_range_end();
  ++attempts_;
  Status performed = ports_.http->perform(build_request(), nullptr, *this);
  if (!attempt_failure_.status) return attempt_failure_;  // the sink stopped the request and said why
  if (!performed) return classify_failure(performed);
  if (already_complete_) return {};
  if (!accepting_body_) return {Status(StatusCode::kInternal, "response without status"), TransferError::kNetwork};
  return body_ended();
}

// A body that ends short of the file is a cut connection, unless it is the range we asked for (paced).
AttemptOutcome DownloadRun::body_ended() const {
  bool whole_range = asked_end_ && response_end_ && offset_ == *response_end_;
  if (whole_range && (!server_total_ || offset_ < *server_total_))
    return {Status::ok(), TransferError::kNone, false, true};
  if (server_total_ && offset_ < *server_total_) {
    return {Status(StatusCode::kIo,
                   "body ended at byte " + std::to_string(offset_) + " of " + std::to_string(*server_total_)),
            TransferError::kNetwork};
  }
  return {};
}

// Under a bandwidth limit: the end of the range worth defaults::kDownloadPacedRangeMs (see there why), or none
// when there is no limit or the rest of the file fits in one such range.
std::optional<std::uint64_t> DownloadRun::paced_range_end() const {
  std::uint64_t limit = std::min<std::uint64_t>(pacer_.limit(), 1ull << 40);  // no overflow below
  if (limit == 0 || options_.paced_range_ms <= 0) return std::nullopt;
  std::uint64_t bytes = limit * static_cast<std::uint64_t>(options_.paced_range_ms) / 1000;
  std::uint64_t end = offset_ + std::max<std::uint64_t>(bytes, defaults::kDownloadPacedRangeMinBytes);
  if (request_.expected_size && end >= *request_.expected_size) return std::nullopt;
  return end;
}

port::HttpRequest DownloadRun::build_request() const {
  port::HttpRequest request;
  request.url = request_.url;
  request.headers = request_.headers;
  // Byte offsets must refer to the file itself, not to a compressed form of it.
  request.headers.push_back({"Accept-Encoding", "identity"});
  if (offset_ > 0 || asked_end_) {
    std::string last = asked_end_ ? std::to_string(*asked_end_ - 1) : std::string();
    request.headers.push_back({"Range", "bytes=" + std::to_string(offset_) + "-" + last});
    // Without a validator the digest check still catches a file that changed between attempts.
    if (!record_.etag.empty()) {
      request.headers.push_back({"If-Range", record_.etag});
    } else if (!record_.last_modified.empty()) {
      request.headers.push_back({"If-Range", record_.last_modified});
    }
  }
  request.connect_timeout = std::chrono::milliseconds(options_.connect_timeout_ms);
  request.stall_timeout = std::chrono::milliseconds(options_.stall_timeout_ms);
  request.cancel = &control_.stop_flag();
  return request;
}

AttemptOutcome DownloadRun::classify_failure(const Status& status) const {
  switch (status.code()) {
    case StatusCode::kTimeout:
      return {status, TransferError::kTimeout};
    case StatusCode::kAuth:
      return {status, TransferError::kTls};
    case StatusCode::kShutdown:
      return {status, control_.cancelled() ? TransferError::kCancelled : TransferError::kPaused};
    case StatusCode::kInvalidArgument:
      return {status, TransferError::kInvalidRequest};
    default:
      return {status, TransferError::kNetwork};
  }
}

Status DownloadRun::on_status(int status, const std::vector<port::HttpHeader>& headers) {
  http_status_ = status;
  pacer_.restart();
  if (status == 200) return accept_full_body(headers);
  if (status == 206) return accept_partial_body(headers);
  if (status == 416 && (offset_ > 0 || asked_end_)) return accept_unsatisfiable(headers);
  return refuse_status(status);
}

// 200: the whole file from byte 0, also when we asked for a range (the server ignored Range, or If-Range found
// the file changed): never append it, start the partial file again.
Status DownloadRun::accept_full_body(const std::vector<port::HttpHeader>& headers) {
  if (offset_ > 0) {
    if (restarts_ >= defaults::kDownloadMaxRestarts) {
      return fail_attempt({Status(StatusCode::kMalformed, "server keeps answering 200 to ranged requests"),
                           TransferError::kServerProtocol});
    }
    ++restarts_;
    log(port::LogLevel::kInfo, "server sent the whole file (Range ignored or file changed); starting from zero");
    AttemptOutcome restarted = start_from_zero();
    if (!restarted.status) return fail_attempt(std::move(restarted));
  }
  auto length = find_header(headers, "Content-Length");
  if (length) server_total_ = parse_content_length(*length);
  Status size_ok = check_total(server_total_);
  if (!size_ok) return size_ok;
  remember_validators(headers);
  save_record();
  accepting_body_ = true;
  return Status::ok();
}

// 206: must continue exactly at our offset, of the same file.
Status DownloadRun::accept_partial_body(const std::vector<port::HttpHeader>& headers) {
  auto header = find_header(headers, "Content-Range");
  auto range = header ? parse_content_range(*header) : std::nullopt;
  if (!range || !range->first || *range->first != offset_) {
    return fail_attempt({Status(StatusCode::kMalformed, "206 does not continue at byte " + std::to_string(offset_)),
                         TransferError::kServerProtocol, true});
  }
  auto etag = find_header(headers, "ETag");
  if (etag && is_strong_etag(*etag) && !record_.etag.empty() && *etag != record_.etag) {
    return fail_attempt(
        {Status(StatusCode::kMalformed, "file changed (ETag differs)"), TransferError::kServerProtocol, true});
  }
  server_total_ = range->complete;
  response_end_ = *range->last + 1;
  Status size_ok = check_total(server_total_);
  if (!size_ok) return size_ok;
  if (record_.etag.empty() && record_.last_modified.empty()) {
    remember_validators(headers);
    save_record();
  }
  accepting_body_ = true;
  return Status::ok();
}

// 416 to "bytes=<offset>-": complete when the file is exactly offset bytes long, else it changed.
Status DownloadRun::accept_unsatisfiable(const std::vector<port::HttpHeader>& headers) {
  auto header = find_header(headers, "Content-Range");
  auto range = header ? parse_content_range(*header) : std::nullopt;
  if (range && range->complete && *range->complete == offset_) {
    already_complete_ = true;
    return Status::ok();
  }
  return fail_attempt({Status(StatusCode::kMalformed, "416: file shorter than the partial file"),
                       TransferError::kServerProtocol, true});
}

Status DownloadRun::refuse_status(int status) {
  std::string message = "HTTP status " + std::to_string(status);
  if (status == 401 || status == 403) {
    return fail_attempt(
        {Status(StatusCode::kAuth, message + " (credentials or URL refused or expired)"), TransferError::kCredentials});
  }
  return fail_attempt({Status(StatusCode::kRejected, message), TransferError::kHttpStatus});
}

Status DownloadRun::fail_attempt(AttemptOutcome outcome) {
  if (outcome.status.is_ok()) outcome.status = Status(StatusCode::kInternal, "attempt failed without a status");
  attempt_failure_ = std::move(outcome);
  return attempt_failure_.status;
}

Status DownloadRun::check_total(std::optional<std::uint64_t> total) {
  if (!total || !request_.expected_size || *total == *request_.expected_size) return Status::ok();
  return fail_attempt(
      {Status(StatusCode::kMalformed, "server's file has " + std::to_string(*total) + " bytes, expected " +
                                          std::to_string(*request_.expected_size)),
       TransferError::kSizeMismatch});
}

void DownloadRun::remember_validators(const std::vector<port::HttpHeader>& headers) {
  auto etag = find_header(headers, "ETag");
  record_.etag = etag && is_strong_etag(*etag) ? std::string(*etag) : std::string();
  auto modified = find_header(headers, "Last-Modified");
  record_.last_modified = modified ? std::string(*modified) : std::string();
}

}  // namespace docklink::transfer::detail
