#include "download_run.hpp"

#include "backoff.hpp"
#include "digest_text.hpp"
#include "docklink/config_defaults.hpp"
#include "download_http.hpp"

namespace docklink::transfer::detail {

DownloadRun::DownloadRun(const DownloaderPorts& ports, const DownloaderOptions& options, const DownloadRequest& request,
                         TransferControl& control, TransferWaiter& waiter)
    : ports_(ports),
      options_(options),
      request_(request),
      control_(control),
      waiter_(waiter),
      part_(request.destination + ".part"),
      buffer_(defaults::kDownloadBufferBytes),
      pacer_(*ports.clock, waiter, request.max_bytes_per_second, options.bandwidth) {}

DownloadResult DownloadRun::run() {
  last_report_ms_ = last_checkpoint_ms_ = ports_.clock->monotonic_ms();
  AttemptOutcome outcome = begin();
  if (!outcome.status) return failed(std::move(outcome));
  // A partial file that is already whole (a kill -9 between the last byte and the rename) needs no request.
  bool whole = request_.expected_size && offset_ == *request_.expected_size && offset_ > 0;
  bool digest_retried = false;
  for (;;) {
    if (!whole) {
      outcome = fetch();
      if (!outcome.status) return failed(std::move(outcome));
    }
    whole = false;
    outcome = verify();
    if (outcome.status) return complete();
    // Bytes damaged on the way or on disk (a power cut) deserve one fresh fetch before the mismatch is reported.
    if (outcome.error != TransferError::kDigestMismatch || digest_retried) return failed(std::move(outcome));
    digest_retried = true;
    log(port::LogLevel::kWarn, outcome.status.message() + "; deleting the data and fetching once more from zero");
    outcome = start_from_zero();
    if (!outcome.status) return failed(std::move(outcome));
  }
}

// Makes attempts until the body is complete (ok), a stop was requested (kCancelled or kPaused) or a failure is
// final (not retryable, or out of retries).
AttemptOutcome DownloadRun::fetch() {
  unsigned retries = 0;
  for (;;) {
    if (control_.stop_requested()) return stop_outcome();
    AttemptOutcome outcome = attempt();
    if (outcome.status && outcome.more) continue;  // a paced download's next range
    if (outcome.status) return outcome;
    if (control_.stop_requested()) return stop_outcome();
    if (outcome.restart && restarts_ < defaults::kDownloadMaxRestarts) {
      ++restarts_;
      log(port::LogLevel::kInfo, "starting from zero: " + outcome.status.message());
      outcome = start_from_zero();
      if (!outcome.status) return outcome;
      continue;
    }
    if (!should_retry(outcome) || retries >= options_.max_retries) return outcome;
    BackoffOptions schedule;
    schedule.initial_ms = options_.backoff_initial_ms;
    schedule.max_ms = options_.backoff_max_ms;
    double unit = 0.5;
    std::uint8_t random_byte = 0;
    if (ports_.random != nullptr && ports_.random->fill(&random_byte, 1)) unit = random_byte / 256.0;
    std::int64_t delay = docklink::detail::backoff_delay_ms(schedule, retries++, unit);
    ++retries_;
    log(port::LogLevel::kInfo,
        "attempt failed (" + outcome.status.to_string() + "), retry in " + std::to_string(delay) + " ms");
    if (delay > 0) waiter_.wait(delay, control_);
  }
}

AttemptOutcome DownloadRun::begin() {
  hasher_ = new_hasher();
  if (!request_.resume_key.empty() && ports_.store != nullptr && try_resume()) return {};
  return start_from_zero();
}

// Continues from a matching record and its partial file; false (nothing changed) when there is none to use.
bool DownloadRun::try_resume() {
  auto loaded = load_record();
  if (!loaded) return false;
  if (!record_matches(loaded.value())) {
    log(port::LogLevel::kInfo, "resume record belongs to another file; starting from zero");
    return false;
  }
  auto length = part_.hash_existing(hasher_.get(), buffer_);
  bool too_long = length && request_.expected_size && length.value() > *request_.expected_size;
  if (!length || too_long || !part_.open_append().ok()) {
    log(port::LogLevel::kInfo, "partial file unusable; starting from zero");
    hasher_ = new_hasher();  // it may have been fed part of the file
    return false;
  }
  record_ = std::move(loaded).value();
  record_.url = request_.url;
  offset_ = resumed_from_ = length.value();
  start_digest(offset_);
  log(port::LogLevel::kInfo, "resuming at byte " + std::to_string(offset_));
  return true;
}

Result<ResumeRecord> DownloadRun::load_record() {
  auto text = ports_.store->get(resume_store_key(request_.resume_key));
  if (!text) {
    if (text.status().code() != StatusCode::kNotFound)
      log(port::LogLevel::kWarn, "cannot read resume record: " + text.status().to_string());
    return text.status();
  }
  auto record = decode_resume_record(text.value());
  if (!record) {
    log(port::LogLevel::kWarn, "discarding corrupt resume record: " + record.status().message());
    remove_record();
  }
  return record;
}

bool DownloadRun::record_matches(const ResumeRecord& record) const {
  return record.destination == request_.destination && record.size == request_.expected_size &&
         record.algorithm == algorithm_name(request_) && record.digest == normalized_digest(request_.expected_digest);
}

AttemptOutcome DownloadRun::start_from_zero() {
  digest_.reset();  // its thread stops reading before the file is emptied
  hasher_ = new_hasher();
  offset_ = 0;
  record_ = ResumeRecord();
  record_.url = request_.url;
  record_.destination = request_.destination;
  record_.size = request_.expected_size;
  record_.algorithm = algorithm_name(request_);
  record_.digest = normalized_digest(request_.expected_digest);
  FileOutcome opened = part_.open_empty();
  if (!opened.ok()) return {opened.status, opened.error};
  start_digest(0);
  remove_record();  // until the first response names the file's validators
  return {};
}

// From here on the body's bytes go to the digest (by default hashed on another thread, read back from the file).
// A download with no digest to compare (allow_unverified) hashes nothing: MD5 would only cost CPU, the costliest
// step of a fast download.
std::unique_ptr<port::Hasher> DownloadRun::new_hasher() const {
  if (request_.expected_digest.empty()) return nullptr;
  return ports_.hashing->new_hasher(request_.digest_algorithm);
}

void DownloadRun::start_digest(std::uint64_t from) {
  BodyDigestOptions digest;
  digest.own_thread = options_.hash_on_own_thread;
  digest.buffer_bytes = defaults::kDownloadBufferBytes;
  digest.max_lag = defaults::kDownloadHashLagBytes;
  digest_ = std::make_unique<BodyDigest>(part_.path(), std::move(hasher_), from, digest);
}

void DownloadRun::save_record() {
  if (request_.resume_key.empty() || ports_.store == nullptr) return;
  // The record claims offset_ bytes: they must be on the disk first, or a power cut leaves a claim without data.
  FileOutcome synced = part_.sync();
  if (!synced.ok()) {
    log(port::LogLevel::kWarn, "resume record not saved: " + synced.status.to_string());
    return;
  }
  record_.offset = offset_;
  auto text = encode_resume_record(record_);
  Status saved = text ? ports_.store->put(resume_store_key(request_.resume_key), text.value()) : text.status();
  if (!saved) log(port::LogLevel::kWarn, "cannot save resume record: " + saved.to_string());
}

void DownloadRun::remove_record() {
  if (request_.resume_key.empty() || ports_.store == nullptr) return;
  Status removed = ports_.store->remove(resume_store_key(request_.resume_key));
  if (!removed) log(port::LogLevel::kWarn, "cannot remove resume record: " + removed.to_string());
}

AttemptOutcome DownloadRun::stop_outcome() const {
  return {Status(StatusCode::kShutdown, "stopped"),
          control_.cancelled() ? TransferError::kCancelled : TransferError::kPaused};
}

bool DownloadRun::should_retry(const AttemptOutcome& outcome) const {
  if (is_transient(outcome.error)) return true;
  return outcome.error == TransferError::kHttpStatus && http_status_ >= 500 && http_status_ <= 599;
}

void DownloadRun::log(port::LogLevel level, const std::string& message) const {
  if (ports_.log == nullptr || !ports_.log->enabled(level)) return;
  ports_.log->write(level, "download", loggable_url(request_.url) + ": " + message);
}

}  // namespace docklink::transfer::detail
