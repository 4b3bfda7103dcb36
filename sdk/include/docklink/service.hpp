// Services: what a handler receives and returns, and the job handle for long-running services (docs/protocol.md#jobs).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink {

namespace detail {
class ClientCore;
struct JobState;
}  // namespace detail

/// Status values of a job's progress events. Terminal: kOk, kFailed, kRejected, kCanceled, kTimeout,
/// kPartiallyDone.
enum class JobStatus : std::uint8_t {
  kSent,
  kInProgress,
  kPaused,
  kOk,
  kFailed,
  kRejected,
  kCanceled,
  kTimeout,
  kPartiallyDone
};

/// The protocol's name for a job status, e.g. "in_progress".
DOCKLINK_API const char* to_string(JobStatus status) noexcept;
/// True for statuses that end a job.
DOCKLINK_API bool is_terminal(JobStatus status) noexcept;

/// One progress report of a job.
struct JobProgress {
  JobStatus status = JobStatus::kInProgress;  ///< Where the job is.
  int percent = 0;                            ///< 0..100.
  std::string step_key;                       ///< Remote-debug step, e.g. "open_cover"; empty: not sent.
  int current_step = -1;                      ///< Flight-task step number; negative: not sent.
  std::int32_t result = 0;                    ///< data.result of the event (non-zero with a failed job).
  std::string ext_json;                       ///< Raw JSON object for output.ext; empty: not sent.
};

/// Handle to a long-running service's job: publishes progress events on `events` with the service's method and
/// bid. Copyable; safe to use from any thread, also after the handler returned. Progress after a terminal status
/// is refused.
class DOCKLINK_API Job {
 public:
  /// An empty handle; every call fails with kInvalidArgument.
  Job() = default;
  /// Publishes one progress event.
  Status report(const JobProgress& progress);
  /// Shorthand: in_progress with a percentage and step key.
  Status progress(int percent, std::string_view step_key);
  /// Shorthand: the terminal event (percent 100 for kOk). A job ends once: a second terminal report (from any
  /// handle of the job, on any thread) publishes nothing and returns kInvalidArgument.
  Status finish(JobStatus status, std::int32_t result = 0);
  /// The bid that every event of this job carries.
  const std::string& bid() const;
  /// The service method.
  const std::string& method() const;
  /// True when this handle refers to a job.
  bool valid() const noexcept { return state_ != nullptr; }

 private:
  friend class detail::ClientCore;
  explicit Job(std::shared_ptr<detail::JobState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::JobState> state_;
};

/// A service call from the cloud, valid during the handler call (copy what must outlive it).
class DOCKLINK_API ServiceCall {
 public:
  /// The method, e.g. "cover_open".
  std::string_view method() const noexcept { return method_; }
  /// Transaction id of this call.
  std::string_view tid() const noexcept { return tid_; }
  /// Business id; a job's progress events carry it.
  std::string_view bid() const noexcept { return bid_; }
  /// The parameters: always an object (empty when the cloud sent {}, "" or null).
  const rapidjson::Value& data() const noexcept { return data_; }
  /// Turns this call into a long job: the reply will say it is in progress and the returned handle publishes
  /// its progress events. Calling it again returns a handle to the same job (which still ends only once).
  Job start_job();

 private:
  friend class detail::ClientCore;  // only the client builds calls
  ServiceCall(std::string_view method, std::string_view tid, std::string_view bid, const rapidjson::Value& data,
              std::function<Job()> job_factory)
      : method_(method), tid_(tid), bid_(bid), data_(data), job_factory_(std::move(job_factory)) {}

  std::string_view method_;
  std::string_view tid_;
  std::string_view bid_;
  const rapidjson::Value& data_;
  std::function<Job()> job_factory_;
};

/// What a service handler answers; becomes services_reply `data`.
struct ServiceReply {
  std::int32_t result = 0;  ///< 0 success, else a protocol code (result_codes.hpp).
  std::string output_json;  ///< Raw JSON for `output`; empty: no output (or {"status":"in_progress"} for a job).
  /// A JSON object whose members go directly into `data` beside `result`, for the replies DJI documents without
  /// `output` (fileupload_list puts `files` there, docs/protocol.md#replies). Empty: none.
  std::string flat_json;

  /// Success, with an optional output.
  static ServiceReply ok(std::string output_json = {}) { return {0, std::move(output_json), {}}; }
  /// Failure with a protocol code.
  static ServiceReply error(std::int32_t code, std::string output_json = {}) {
    return {code, std::move(output_json), {}};
  }
};

/// A service handler. Runs on a dispatcher thread, never on the transport thread; long work belongs in a job.
using ServiceHandler = std::function<ServiceReply(ServiceCall& call)>;

}  // namespace docklink
