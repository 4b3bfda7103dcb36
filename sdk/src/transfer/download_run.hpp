// One run of a download on the caller's thread: resume or start the partial file, make attempts until the body is
// complete (retrying transient failures with backoff), verify, hand the file on. Private to the engine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "docklink/transfer/download.hpp"
#include "download_digest.hpp"
#include "part_file.hpp"
#include "resume_record.hpp"

namespace docklink::transfer::detail {

/// How one attempt (one HTTP request) ended.
struct AttemptOutcome {
  Status status;
  TransferError error = TransferError::kNone;
  bool restart = false;  ///< Start again from zero at once (server ignored Range in a way we cannot use, file changed).
  bool more = false;     ///< Ok: the response ended with the range asked for, short of the file; ask for the next.
};

/// The state of one download run. Used once, by one thread.
class DownloadRun final : public port::HttpResponseSink {
 public:
  DownloadRun(const DownloaderPorts& ports, const DownloaderOptions& options, const DownloadRequest& request,
              TransferControl& control, TransferWaiter& waiter);

  /// Runs the download to its end.
  DownloadResult run();

  Status on_status(int status, const std::vector<port::HttpHeader>& headers) override;
  Status on_body(std::string_view piece) override;

 private:
  // Setting up (download_run.cpp).
  AttemptOutcome begin();
  bool try_resume();
  Result<ResumeRecord> load_record();
  bool record_matches(const ResumeRecord& record) const;
  AttemptOutcome start_from_zero();
  /// A hasher for the request's digest; null when there is none to compare (nothing is hashed then).
  std::unique_ptr<port::Hasher> new_hasher() const;
  void start_digest(std::uint64_t from);
  void save_record();
  void remove_record();
  AttemptOutcome fetch();
  AttemptOutcome stop_outcome() const;
  // Attempts (download_attempt.cpp).
  AttemptOutcome attempt();
  std::optional<std::uint64_t> paced_range_end() const;
  AttemptOutcome body_ended() const;
  port::HttpRequest build_request() const;
  AttemptOutcome classify_failure(const Status& status) const;
  Status accept_full_body(const std::vector<port::HttpHeader>& headers);
  Status accept_partial_body(const std::vector<port::HttpHeader>& headers);
  Status accept_unsatisfiable(const std::vector<port::HttpHeader>& headers);
  Status refuse_status(int status);
  Status fail_attempt(AttemptOutcome outcome);
  Status check_total(std::optional<std::uint64_t> total);
  void remember_validators(const std::vector<port::HttpHeader>& headers);
  // Along the body (download_body.cpp).
  void report_progress(bool final);
  void checkpoint();
  // Ending (download_finish.cpp).
  AttemptOutcome verify();
  DownloadResult complete();
  DownloadResult stopped();
  DownloadResult failed(AttemptOutcome outcome);
  DownloadResult result(Status status, TransferError error);
  bool should_retry(const AttemptOutcome& outcome) const;
  void log(port::LogLevel level, const std::string& message) const;

  const DownloaderPorts& ports_;
  const DownloaderOptions& options_;
  const DownloadRequest& request_;
  TransferControl& control_;
  TransferWaiter& waiter_;
  PartFile part_;
  std::unique_ptr<port::Hasher> hasher_;  // until digest_ takes it over
  std::unique_ptr<BodyDigest> digest_;    // hashes the partial file as it is written
  std::vector<char> buffer_;              // re-reading a partial file at resume
  ResumeRecord record_;
  std::uint64_t offset_ = 0;  // bytes in the partial file, all handed to digest_
  std::uint64_t resumed_from_ = 0;
  std::uint64_t fetched_ = 0;
  unsigned attempts_ = 0;
  unsigned retries_ = 0;
  unsigned restarts_ = 0;
  int http_status_ = 0;
  // The current attempt.
  AttemptOutcome attempt_failure_;
  bool accepting_body_ = false;
  bool already_complete_ = false;
  std::optional<std::uint64_t> server_total_;
  std::optional<std::uint64_t> asked_end_;     // the end (exclusive) of the range asked for; none: the whole rest
  std::optional<std::uint64_t> response_end_;  // the end (exclusive) of the range a 206 carries
  TransferPacer pacer_;
  // Reports and checkpoints.
  std::int64_t last_report_ms_ = 0;
  std::uint64_t fetched_at_last_report_ = 0;
  std::int64_t last_checkpoint_ms_ = 0;
};

}  // namespace docklink::transfer::detail
