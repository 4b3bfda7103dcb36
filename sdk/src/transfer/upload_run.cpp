#include "upload_run.hpp"

#include "docklink/config_defaults.hpp"
#include "download_http.hpp"  // find_header

namespace docklink::transfer::detail {
namespace {

std::uint64_t divide_rounding_up(std::uint64_t value, std::uint64_t divisor) {
  return value / divisor + (value % divisor != 0 ? 1 : 0);
}

}  // namespace

UploadRun::UploadRun(const UploaderPorts& ports, const UploaderOptions& options, const UploadRequest& request,
                     TransferControl& control, TransferWaiter& waiter)
    : ports_(ports),
      options_(options),
      request_(request),
      control_(control),
      waiter_(waiter),
      credentials_(request.credentials, *ports.clock, options.refresh_margin_ms),
      pacer_(*ports.clock, waiter, request.max_bytes_per_second, options.bandwidth),
      buffer_(defaults::kUploadBufferBytes),
      file_(request.source, buffer_),
      payload_hashes_(request.source, *ports.hashing, defaults::kUploadBufferBytes, options.hash_on_own_thread) {
  file_.on_sent([this](std::size_t bytes) { count_sent(bytes); });
  // A paced body goes out a little at a time: never a silence a server could take for a dead connection.
  file_.limit_reads([this](std::size_t capacity) { return pacer_.next_piece(capacity); });
  file_.stop_when([this] { return control_.stop_requested(); });
}

UploadResult UploadRun::run() {
  last_report_ms_ = ports_.clock->monotonic_ms();
  ExchangeOutcome outcome = prepare();
  if (outcome.ok()) {
    if (!request_.presigned_url.empty()) {
      outcome = put_presigned();
    } else if (part_count_ == 0) {
      outcome = put_whole();
    } else {
      outcome = multipart();
    }
  }
  return finish(std::move(outcome));
}

// The file's identity, the object's address and the part plan.
ExchangeOutcome UploadRun::prepare() {
  auto identity = file_identity(request_.source);
  if (!identity) return failed_exchange(identity.status(), TransferError::kFileIo);
  identity_ = std::move(identity).value();
  if (!request_.presigned_url.empty()) return {};
  const S3Destination& destination = request_.destination;
  auto address = s3_object_address(destination.endpoint, destination.bucket, destination.key, destination.addressing);
  if (!address) return failed_exchange(address.status(), TransferError::kInvalidRequest);
  address_ = std::move(address).value();
  if (identity_.size < request_.multipart_threshold) return {};
  part_size_ = std::max(request_.part_size, divide_rounding_up(identity_.size, defaults::kUploadMaxParts));
  part_count_ = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, divide_rounding_up(identity_.size, part_size_)));
  return {};
}

ExchangeOutcome UploadRun::put_whole() {
  FileOutcome selected = file_.select(0, identity_.size);
  if (!selected.ok()) return failed_exchange(selected.status, selected.error);
  auto hash = payload_hash(0, identity_.size);
  if (!hash) return failed_exchange(hash.status(), TransferError::kFileIo);
  S3Call call;
  call.method = "PUT";
  call.payload_sha256 = hash.value();
  call.body = identity_.size > 0 ? &file_ : nullptr;
  call.body_size = identity_.size;
  call.with_content_type = true;
  ExchangeOutcome outcome = perform_signed(call);
  if (outcome.ok()) {
    etag_ = std::string(find_header(outcome.headers, "ETag").value_or(""));
    finished_bytes_ = identity_.size;
  }
  return outcome;
}

// A PUT to a URL someone else signed: sent as given, with the request's headers; never re-signed.
ExchangeOutcome UploadRun::put_presigned() {
  FileOutcome selected = file_.select(0, identity_.size);
  if (!selected.ok()) return failed_exchange(selected.status, selected.error);
  port::HttpRequest request = base_request(true);
  request.method = "PUT";
  request.url = request_.presigned_url;
  request.headers = request_.presigned_headers;
  if (!request_.content_type.empty()) request.headers.push_back({"Content-Type", request_.content_type});
  request.body_size = identity_.size;
  ExchangeOutcome outcome = perform_url(request);
  if (outcome.ok()) {
    etag_ = std::string(find_header(outcome.headers, "ETag").value_or(""));
    finished_bytes_ = identity_.size;
  }
  return outcome;
}

}  // namespace docklink::transfer::detail
