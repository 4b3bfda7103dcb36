#include "client_core.hpp"

namespace docklink {

const char* to_string(JobStatus status) noexcept {
  switch (status) {
    case JobStatus::kSent:
      return "sent";
    case JobStatus::kInProgress:
      return "in_progress";
    case JobStatus::kPaused:
      return "paused";
    case JobStatus::kOk:
      return "ok";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kRejected:
      return "rejected";
    case JobStatus::kCanceled:
      return "canceled";
    case JobStatus::kTimeout:
      return "timeout";
    case JobStatus::kPartiallyDone:
      return "partially_done";
  }
  return "unknown";
}

bool is_terminal(JobStatus status) noexcept {
  return status != JobStatus::kSent && status != JobStatus::kInProgress && status != JobStatus::kPaused;
}

namespace {
Status already_finished() { return Status(StatusCode::kInvalidArgument, "job already finished"); }
}  // namespace

Status Job::report(const JobProgress& progress) {
  if (!state_) return Status(StatusCode::kInvalidArgument, "empty job handle");
  auto core = state_->core.lock();
  if (!core) return Status(StatusCode::kShutdown, "client is gone");
  // The terminal report claims the end atomically: of two racing finishes exactly one publishes its event.
  if (is_terminal(progress.status)) {
    bool expected = false;
    if (!state_->finished.compare_exchange_strong(expected, true)) return already_finished();
  } else if (state_->finished.load()) {
    return already_finished();
  }
  return core->publish_job_event(*state_, progress);
}

Status Job::progress(int percent, std::string_view step_key) {
  JobProgress progress;
  progress.percent = percent;
  progress.step_key = std::string(step_key);
  return report(progress);
}

Status Job::finish(JobStatus status, std::int32_t result) {
  JobProgress progress;
  progress.status = status;
  progress.percent = status == JobStatus::kOk ? 100 : 0;
  progress.result = result;
  return report(progress);
}

const std::string& Job::bid() const {
  static const std::string kEmpty;
  return state_ ? state_->bid : kEmpty;
}

const std::string& Job::method() const {
  static const std::string kEmpty;
  return state_ ? state_->method : kEmpty;
}

Job ServiceCall::start_job() { return job_factory_ ? job_factory_() : Job(); }

}  // namespace docklink
