#include "digest_text.hpp"
#include "docklink/transfer/download.hpp"
#include "download_run.hpp"
#include "resume_record.hpp"

namespace docklink::transfer {
namespace {

// Waits in real time, woken early by a stop request.
class RealTimeWaiter final : public TransferWaiter {
 public:
  void wait(std::int64_t ms, TransferControl& control) override { control.wait_ms(ms); }
};

bool has_http_scheme(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

Status check_request(const DownloadRequest& request) {
  if (!has_http_scheme(request.url)) return invalid("download URL must start with http:// or https://");
  if (request.destination.empty()) return invalid("download destination is empty");
  if (request.expected_digest.empty() && !request.allow_unverified) {
    return invalid("download without expected digest (set allow_unverified to accept that)");
  }
  if (!request.expected_digest.empty() && !detail::is_valid_digest(request.expected_digest, request.digest_algorithm)) {
    return invalid("expected digest is not 32 (MD5) or 64 (SHA-256) hex digits");
  }
  if (!request.resume_key.empty() && !detail::is_valid_resume_key(request.resume_key)) {
    return invalid("resume key must be 1 to 100 characters of [A-Za-z0-9._-]");
  }
  return Status::ok();
}

}  // namespace

Downloader::Downloader(DownloaderPorts ports, DownloaderOptions options) : ports_(ports), options_(options) {}

DownloadResult Downloader::download(const DownloadRequest& request, TransferControl* control) const {
  DownloadResult refused;
  if (ports_.http == nullptr || ports_.hashing == nullptr || ports_.clock == nullptr) {
    refused.status = invalid("downloader needs an HTTP client, hashing and a clock");
  } else {
    refused.status = check_request(request);
  }
  if (!refused.status) {
    refused.error = TransferError::kInvalidRequest;
    return refused;
  }
  TransferControl own_control;
  RealTimeWaiter real_time;
  TransferWaiter& waiter = options_.waiter != nullptr ? *options_.waiter : real_time;
  detail::DownloadRun run(ports_, options_, request, control != nullptr ? *control : own_control, waiter);
  return run.run();
}

Status Downloader::discard(const DownloadRequest& request) const {
  detail::PartFile part(request.destination + ".part");
  part.remove();
  if (request.resume_key.empty() || ports_.store == nullptr) return Status::ok();
  return ports_.store->remove(detail::resume_store_key(request.resume_key));
}

}  // namespace docklink::transfer
