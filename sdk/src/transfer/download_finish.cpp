// How a download run ends: verified and handed on, stopped, or failed with a specific error.
#include "digest_text.hpp"
#include "download_run.hpp"

namespace docklink::transfer::detail {

// Size and digest of the bytes in the partial file (the digest read each of them back once).
AttemptOutcome DownloadRun::verify() {
  if (request_.expected_size && offset_ != *request_.expected_size) {
    return {Status(StatusCode::kMalformed, "file has " + std::to_string(offset_) + " bytes, expected " +
                                               std::to_string(*request_.expected_size)),
            TransferError::kSizeMismatch};
  }
  if (!digest_) return {Status(StatusCode::kInternal, "no digest running"), TransferError::kFileIo};
  Result<std::string> raw = digest_->finish();
  digest_.reset();
  if (!raw) return {raw.status(), TransferError::kFileIo};
  std::string digest = lower_hex(raw.value());
  if (!request_.expected_digest.empty() && digest != normalized_digest(request_.expected_digest)) {
    return {
        Status(StatusCode::kMalformed, algorithm_name(request_) + " digest " + digest + " differs from the expected " +
                                           normalized_digest(request_.expected_digest)),
        TransferError::kDigestMismatch};
  }
  return {};
}

// Hands the verified file on: synced, renamed, the rename synced, and only then the record removed.
DownloadResult DownloadRun::complete() {
  FileOutcome renamed = part_.rename_to(request_.destination);
  if (!renamed.ok()) return failed({renamed.status, renamed.error});
  remove_record();
  report_progress(true);
  log(port::LogLevel::kInfo, "complete, " + std::to_string(offset_) + " bytes verified");
  return result(Status::ok(), TransferError::kNone);
}

DownloadResult DownloadRun::stopped() {
  digest_.reset();  // nothing reads the file any more
  if (control_.cancelled()) {
    part_.remove();
    remove_record();
    log(port::LogLevel::kInfo, "cancelled; partial file deleted");
    return result(Status(StatusCode::kShutdown, "download cancelled"), TransferError::kCancelled);
  }
  save_record();                     // syncs the partial file first
  static_cast<void>(part_.close());  // every byte already reached the OS (unbuffered); the length is the offset
  log(port::LogLevel::kInfo, "paused at byte " + std::to_string(offset_));
  return result(Status(StatusCode::kShutdown, "download paused"), TransferError::kPaused);
}

// A wrong size or digest means the bytes are not the file: they go, with the record. Anything else keeps them
// for a later run (an expired URL, a full disk or a long outage do not spoil what was fetched).
DownloadResult DownloadRun::failed(AttemptOutcome outcome) {
  if (outcome.error == TransferError::kCancelled || outcome.error == TransferError::kPaused) return stopped();
  digest_.reset();  // nothing reads the file any more
  bool spoiled = outcome.error == TransferError::kSizeMismatch || outcome.error == TransferError::kDigestMismatch;
  if (spoiled) {
    part_.remove();
    remove_record();
  } else {
    if (offset_ > 0) save_record();    // syncs the partial file first
    static_cast<void>(part_.close());  // the run fails with the outcome's error; a close error adds nothing
  }
  log(port::LogLevel::kWarn, std::string("failed (") + to_string(outcome.error) + "): " + outcome.status.message() +
                                 (spoiled ? "; partial file deleted" : ""));
  return result(std::move(outcome.status), outcome.error);
}

DownloadResult DownloadRun::result(Status status, TransferError error) {
  DownloadResult result;
  result.status = std::move(status);
  result.error = error;
  result.http_status = http_status_;
  result.size = offset_;
  result.resumed_from = resumed_from_;
  result.fetched = fetched_;
  result.attempts = attempts_;
  result.retries = retries_;
  return result;
}

}  // namespace docklink::transfer::detail
