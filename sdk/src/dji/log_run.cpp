// One fileupload_start run: each file uploaded in turn on the TransferManager, its progress and end published,
// cancel requests applied to waiting and running files, and the final event once every file ended.
#include <algorithm>

#include "docklink/result_codes.hpp"
#include "log_state.hpp"
#include "transfer/digest_text.hpp"  // lower_hex

namespace docklink::dji::detail {
namespace {

// MD5 of the file as lower-case hex, read in pieces; empty when it cannot be read.
std::string md5_hex(const port::Hashing& hashing, const std::string& path);

transfer::UploadResult failed_upload(Status status, transfer::TransferError error) {
  transfer::UploadResult result;
  result.status = std::move(status);
  result.error = error;
  return result;
}

}  // namespace

void LogRun::start_next() {
  std::size_t index = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    while (next < files.size() && files[next].status != LogFileStatus::kWaiting) ++next;
    if (next == files.size()) {
      index = files.size();
    } else {
      index = next++;
      files[index].status = LogFileStatus::kInProgress;
    }
  }
  if (index == files.size()) return finish();
  submit(index);
}

void LogRun::submit(std::size_t index) {
  LogFile file;
  {
    std::lock_guard<std::mutex> lock(mutex);
    file = files[index];
  }
  if (file.path.empty())
    return done(index, failed_upload(Status(StatusCode::kNotFound, "no such log"), transfer::TransferError::kFileIo));
  std::string fingerprint = state->options.hashing != nullptr ? md5_hex(*state->options.hashing, file.path) : "";
  transfer::UploadRequest request;
  request.source = file.path;
  request.destination = storage_destination(storage, file.request.object_key);
  request.max_bytes_per_second = state->options.max_bytes_per_second;
  // DJI has no request to renew these: the same ones until their deadline (the uploader then stops), none after
  // a refusal.
  request.credentials =
      [credentials = storage.credentials](transfer::CredentialsReason reason) -> Result<transfer::ExpiringCredentials> {
    if (reason == transfer::CredentialsReason::kRefused) {
      return Status(StatusCode::kAuth, "fileupload_start credentials refused; DJI offers no way to renew them");
    }
    return credentials;
  };
  auto self = shared_from_this();
  request.on_progress = [self, index](const transfer::TransferProgress& progress) {
    self->progressed(index, progress);
  };
  auto submitted = state->manager.submit_upload(
      std::move(request),
      [self, index](transfer::TransferId, const transfer::UploadResult& result) { self->done(index, result); });
  if (!submitted) return done(index, failed_upload(submitted.status(), transfer::TransferError::kNetwork));
  bool cancelled = false;
  {
    std::lock_guard<std::mutex> lock(mutex);
    files[index].transfer = submitted.value();
    files[index].fingerprint = fingerprint;
    cancelled = files[index].status == LogFileStatus::kCanceled;  // a cancel came while it was being submitted
  }
  if (cancelled) static_cast<void>(state->manager.cancel(submitted.value()));  // kNotFound: it ended already
}

void LogRun::progressed(std::size_t index, const transfer::TransferProgress& progress) {
  std::string json;
  {
    std::lock_guard<std::mutex> lock(mutex);
    LogFile& file = files[index];
    if (file.status != LogFileStatus::kInProgress) return;
    file.size = progress.total;
    file.percent = progress.total > 0 ? static_cast<int>(progress.bytes * 100U / progress.total) : 0;
    file.rate = progress.bytes_per_second;
    json = progress_json("in_progress", result_code::kSuccess);
  }
  publish(json);
}

void LogRun::done(std::size_t index, const transfer::UploadResult& result) {
  std::string json;
  {
    std::lock_guard<std::mutex> lock(mutex);
    LogFile& file = files[index];
    file.finish_time_ms = state->clock->wall_ms();
    file.rate = 0;
    if (result.status.is_ok()) {
      file.status = LogFileStatus::kOk;
      file.percent = 100;
      file.size = result.size;
    } else if (result.error == transfer::TransferError::kCancelled || file.status == LogFileStatus::kCanceled) {
      file.status = LogFileStatus::kCanceled;
    } else {
      file.status = LogFileStatus::kFailed;
      file.result = log_result_code(result.error);
    }
    json = progress_json("in_progress", result_code::kSuccess);
  }
  publish(json);
  start_next();
}

void LogRun::cancel(const std::vector<std::string>& modules) {
  std::vector<transfer::TransferId> running;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto& file : files) {
      bool listed = modules.empty() || std::find(modules.begin(), modules.end(), file.request.module) != modules.end();
      if (!listed) continue;
      if (file.status == LogFileStatus::kInProgress && file.transfer != 0) running.push_back(file.transfer);
      if (file.status == LogFileStatus::kWaiting || file.status == LogFileStatus::kInProgress) {
        file.status = LogFileStatus::kCanceled;
      }
    }
  }
  // kNotFound when it ended meanwhile: its done() reports how.
  for (auto id : running) static_cast<void>(state->manager.cancel(id));
}

// The run's last event: failed (with the first failure's code) when a file failed, else canceled when one was
// cancelled, else ok.
void LogRun::finish() {
  std::string json;
  {
    std::lock_guard<std::mutex> lock(mutex);
    const char* status = "ok";
    std::int32_t code = result_code::kSuccess;
    for (const auto& file : files) {
      if (file.status == LogFileStatus::kFailed && code == result_code::kSuccess) code = file.result;
      if (file.status == LogFileStatus::kCanceled) status = "canceled";
    }
    if (code != result_code::kSuccess) status = "failed";
    json = progress_json(status, code);
  }
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    if (state->run.get() == this) state->run.reset();  // before the final event: the cloud may start the next run
  }
  publish(json);
}

namespace {

std::string md5_hex(const port::Hashing& hashing, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {};
  auto hasher = hashing.new_hasher(port::HashAlgorithm::kMd5);
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
    if (got == 0) break;
    hasher->update(std::string_view(buffer.data(), got));
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return {};
  return transfer::detail::lower_hex(hasher->finish());
}

}  // namespace

}  // namespace docklink::dji::detail
