// The body of a download as it arrives: to the partial file and its digest, with progress,
// checkpoints of the resume record and bandwidth pacing. Memory stays fixed: each piece is written, never kept.
#include "docklink/config_defaults.hpp"
#include "download_run.hpp"

namespace docklink::transfer::detail {

Status DownloadRun::on_body(std::string_view piece) {
  if (control_.stop_requested()) {
    return fail_attempt({Status(StatusCode::kShutdown, "stopped"),
                         control_.cancelled() ? TransferError::kCancelled : TransferError::kPaused});
  }
  if (!accepting_body_ || piece.empty()) return Status::ok();
  if (request_.expected_size && offset_ + piece.size() > *request_.expected_size) {
    return fail_attempt({Status(StatusCode::kMalformed,
                                "file longer than the expected " + std::to_string(*request_.expected_size) + " bytes"),
                         TransferError::kSizeMismatch});
  }
  if (!digest_) return fail_attempt({Status(StatusCode::kInternal, "no digest running"), TransferError::kFileIo});
  FileOutcome written = part_.append(piece);
  if (!written.ok()) return fail_attempt({written.status, written.error});
  offset_ += piece.size();
  FileOutcome hashing = digest_->added(piece, offset_);
  if (!hashing.ok()) return fail_attempt({hashing.status, hashing.error});
  fetched_ += piece.size();
  report_progress(false);
  checkpoint();
  pacer_.moved(piece.size(), control_);
  return Status::ok();
}

void DownloadRun::report_progress(bool final) {
  std::int64_t now = ports_.clock->monotonic_ms();
  std::int64_t elapsed = now - last_report_ms_;
  if (!request_.on_progress || (!final && elapsed < options_.progress_interval_ms)) return;
  TransferProgress progress;
  progress.bytes = offset_;
  progress.total = request_.expected_size ? *request_.expected_size : server_total_.value_or(0);
  std::uint64_t moved = fetched_ - fetched_at_last_report_;
  progress.bytes_per_second = elapsed > 0 ? moved * 1000 / static_cast<std::uint64_t>(elapsed) : 0;
  last_report_ms_ = now;
  fetched_at_last_report_ = fetched_;
  request_.on_progress(progress);
}

void DownloadRun::checkpoint() {
  std::int64_t now = ports_.clock->monotonic_ms();
  if (now - last_checkpoint_ms_ < defaults::kResumeCheckpointIntervalMs) return;
  last_checkpoint_ms_ = now;
  save_record();
}

}  // namespace docklink::transfer::detail
