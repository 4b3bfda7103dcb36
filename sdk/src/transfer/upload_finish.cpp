// How an upload run ends: the object exists, or the run stopped (cancel aborts, pause keeps the record), or it
// failed with a specific error; the record stays for a later run unless the upload was cancelled.
#include "download_http.hpp"  // loggable_url
#include "upload_run.hpp"

namespace docklink::transfer::detail {

UploadResult UploadRun::finish(ExchangeOutcome outcome) {
  if (outcome.error == TransferError::kCancelled || outcome.error == TransferError::kPaused) {
    return stopped(std::move(outcome));
  }
  if (outcome.ok()) {
    report_progress(true);
    log(port::LogLevel::kInfo, "complete, " + std::to_string(identity_.size) + " bytes" +
                                   (part_count_ > 0 ? " in " + std::to_string(part_count_) + " parts" : ""));
  } else {
    log(port::LogLevel::kWarn, std::string("failed (") + to_string(outcome.error) + "): " + outcome.status.message());
  }
  return make_result(std::move(outcome));
}

UploadResult UploadRun::make_result(ExchangeOutcome outcome) const {
  UploadResult result;
  result.status = std::move(outcome.status);
  result.error = outcome.error;
  result.http_status = http_status_;
  result.s3_error_code = std::move(outcome.s3_code);
  result.etag = etag_;
  result.size = identity_.size;
  result.sent = sent_;
  result.parts = part_count_;
  result.parts_sent = parts_sent_;
  result.parts_resumed = parts_resumed_;
  result.attempts = attempts_;
  result.credential_requests = credentials_.requests();
  return result;
}

UploadResult UploadRun::stopped(ExchangeOutcome outcome) {
  if (outcome.error == TransferError::kCancelled) {
    abort_upload();
    remove_record();
    outcome.status = Status(StatusCode::kShutdown, "upload cancelled");
    log(port::LogLevel::kInfo, "cancelled");
  } else {
    outcome.status = Status(StatusCode::kShutdown, "upload paused");
    log(port::LogLevel::kInfo, "paused with " + std::to_string(record_.parts.size()) + " parts stored");
  }
  return make_result(std::move(outcome));
}

void UploadRun::log(port::LogLevel level, const std::string& message) const {
  if (ports_.log == nullptr || !ports_.log->enabled(level)) return;
  const std::string target = request_.presigned_url.empty()
                                 ? request_.destination.bucket + "/" + request_.destination.key
                                 : loggable_url(request_.presigned_url);
  ports_.log->write(level, "upload", target + ": " + message);
}

}  // namespace docklink::transfer::detail
