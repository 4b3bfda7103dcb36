// The requests of an upload: signed just before sending (S3 refuses requests signed long before they arrive),
// retried with backoff on network errors and 5xx, re-signed once with fresh credentials after a refusal.
#include "backoff.hpp"
#include "download_http.hpp"  // find_header
#include "upload_http_date.hpp"
#include "upload_run.hpp"

namespace docklink::transfer::detail {

// Over https the body goes as UNSIGNED-PAYLOAD (TLS protects it on the way; see
// defaults::kUploadUnsignedPayloadOverTls); over http its SHA-256 is signed, hashed ahead where it can be.
Result<std::string> UploadRun::payload_hash(std::uint64_t offset, std::uint64_t length) {
  if (!signs_payload()) return std::string(kUnsignedPayload);
  return payload_hashes_.take(offset, length);
}

bool UploadRun::signs_payload() const {
  return !(options_.unsigned_payload_over_tls && address_.url.rfind("https://", 0) == 0);
}

ExchangeOutcome UploadRun::perform_signed(const S3Call& call) {
  for (unsigned retry = 0;;) {
    if (control_.stop_requested()) return classify_transport(Status::ok(), true, control_.cancelled());
    CredentialsOutcome credentials = credentials_.current();
    if (credentials.credentials == nullptr) return failed_exchange(credentials.status, credentials.error);
    ExchangeOutcome outcome = attempt_signed(call, *credentials.credentials, true);
    if (outcome.ok()) {
      credentials_.accepted();
      return outcome;
    }
    if (outcome.credentials_refused) {
      log(port::LogLevel::kWarn,
          "credentials of key id " + credentials.credentials->access_key_id + " refused: " + outcome.status.message());
      adopt_server_clock(outcome);
      CredentialsOutcome fresh = credentials_.refresh_after_refusal();
      if (fresh.credentials != nullptr) continue;  // at once: nothing to wait for
      if (fresh.exhausted) {
        outcome.status = Status(StatusCode::kAuth, outcome.status.message() + " (again after fresh credentials)");
      } else {
        outcome.status = fresh.status;  // the provider's own failure; the server's code stays for context
        outcome.error = fresh.error;
      }
      return outcome;
    }
    if (!back_off(retry++, outcome)) return outcome;
  }
}

ExchangeOutcome UploadRun::attempt_signed(const S3Call& call, const S3Credentials& credentials, bool cancellable) {
  SigV4Request signing;
  signing.method = call.method;
  signing.path = address_.path;
  signing.query = call.query;
  signing.headers.push_back({"Host", address_.host});
  if (call.with_content_type && !request_.content_type.empty())
    signing.headers.push_back({"Content-Type", request_.content_type});
  signing.payload_sha256 = call.payload_sha256;
  SigV4Scope scope;
  scope.region = request_.destination.region;
  auto authorization =
      sigv4_sign_headers(*ports_.hashing, credentials, scope, ports_.clock->wall_ms() + clock_offset_ms_, signing);
  if (!authorization) return failed_exchange(authorization.status(), TransferError::kInvalidRequest);
  port::HttpRequest request = base_request(cancellable);
  request.method = call.method;
  request.url = address_.url;
  if (!call.query.empty()) request.url += "?" + sigv4_canonical_query(call.query);
  request.headers = std::move(signing.headers);
  for (auto& header : authorization.value()) request.headers.push_back(std::move(header));
  request.body_size = call.body_size;
  return exchange(request, call.body);
}

ExchangeOutcome UploadRun::perform_url(const port::HttpRequest& request) {
  for (unsigned retry = 0;;) {
    if (control_.stop_requested()) return classify_transport(Status::ok(), true, control_.cancelled());
    ExchangeOutcome outcome = exchange(request, request.body_size > 0 ? &file_ : nullptr);
    if (outcome.ok() || !back_off(retry++, outcome)) return outcome;
  }
}

ExchangeOutcome UploadRun::exchange(const port::HttpRequest& request, port::HttpBodySource* body) {
  ++attempts_;
  request_bytes_ = 0;
  if (body != nullptr) {
    Status rewound = body->rewind();
    if (!rewound) return failed_exchange(rewound, TransferError::kFileIo);
    pacer_.restart();
  }
  ResponseCapture response;
  Status performed = ports_.http->perform(request, body, response);
  if (response.status != 0) http_status_ = response.status;
  if (body == &file_ && file_.failed()) return failed_exchange(performed, TransferError::kFileIo);
  if (!performed) return classify_transport(performed, control_.stop_requested(), control_.cancelled());
  if (response.status == 0)
    return failed_exchange(Status(StatusCode::kIo, "no HTTP response"), TransferError::kNetwork);
  return classify_response(response);
}

// Waits before retry `retry` when the outcome is worth another try; false when it is not (or no retry is left).
bool UploadRun::back_off(unsigned retry, const ExchangeOutcome& outcome) {
  if (!is_retriable(outcome) || retry >= options_.max_retries || control_.stop_requested()) return false;
  BackoffOptions schedule;
  schedule.initial_ms = options_.backoff_initial_ms;
  schedule.max_ms = options_.backoff_max_ms;
  std::uint8_t random_byte = 128;
  if (ports_.random != nullptr && !ports_.random->fill(&random_byte, 1)) random_byte = 128;
  std::int64_t delay = docklink::detail::backoff_delay_ms(schedule, retry, random_byte / 256.0);
  log(port::LogLevel::kInfo,
      "request failed (" + outcome.status.to_string() + "), retry in " + std::to_string(delay) + " ms");
  if (delay > 0) waiter_.wait(delay, control_);
  return true;
}

// A device clock off by more than S3's 15 minutes (no NTP yet) gets every request refused: sign with the time of
// the server's Date header instead, for the rest of this run.
void UploadRun::adopt_server_clock(const ExchangeOutcome& outcome) {
  if (outcome.s3_code != "RequestTimeTooSkewed") return;
  auto date = find_header(outcome.headers, "Date");
  auto server_ms = date ? parse_http_date_ms(*date) : std::nullopt;
  if (!server_ms) return;
  clock_offset_ms_ = *server_ms - ports_.clock->wall_ms();
  log(port::LogLevel::kWarn, "clock differs from the server's by " + std::to_string(clock_offset_ms_ / 1000) +
                                 " s; signing with the server's time");
}

port::HttpRequest UploadRun::base_request(bool cancellable) const {
  port::HttpRequest request;
  request.connect_timeout = std::chrono::milliseconds(options_.connect_timeout_ms);
  request.stall_timeout = std::chrono::milliseconds(options_.stall_timeout_ms);
  request.cancel = cancellable ? &control_.stop_flag() : nullptr;
  return request;
}

void UploadRun::count_sent(std::size_t bytes) {
  request_bytes_ += bytes;
  sent_ += bytes;
  report_progress(false);
  pacer_.moved(bytes, control_);  // holds the next read back: the socket's buffer drains at the allowed rate
}

void UploadRun::report_progress(bool final) {
  std::int64_t now = ports_.clock->monotonic_ms();
  std::int64_t elapsed = now - last_report_ms_;
  if (!request_.on_progress || (!final && elapsed < options_.progress_interval_ms)) return;
  TransferProgress progress;
  progress.total = identity_.size;
  progress.bytes = std::min(finished_bytes_ + request_bytes_, identity_.size);
  std::uint64_t moved = sent_ - sent_at_last_report_;
  progress.bytes_per_second = elapsed > 0 ? moved * 1000 / static_cast<std::uint64_t>(elapsed) : 0;
  last_report_ms_ = now;
  sent_at_last_report_ = sent_;
  request_.on_progress(progress);
}

}  // namespace docklink::transfer::detail
