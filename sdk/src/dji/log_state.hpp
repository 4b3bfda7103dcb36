// The state behind LogUploader: the uploader's shared part, and one fileupload_start run with its files. A run's
// fields under its mutex are touched by the service handlers (client strand) and the manager's callbacks (its own
// strand); nothing is called on the client, the manager or the application while it is held. Private.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docklink/dji/log_upload.hpp"
#include "docklink/dji/storage_config.hpp"

namespace docklink::dji::detail {

struct LogRun;

struct LogState {
  LogState(Client& client_, transfer::TransferManager& manager_, port::Platform platform, LogUploaderOptions options_)
      : client(client_), manager(manager_), clock(platform.clock), options(std::move(options_)) {}

  Client& client;
  transfer::TransferManager& manager;
  const port::Clock* clock;
  const LogUploaderOptions options;

  mutable std::mutex mutex;
  std::shared_ptr<LogRun> run;  // the fileupload_start running, if any
  bool closed = false;          // the uploader is gone: nothing is published any more
};

/// One file of a run and how far it got.
struct LogFile {
  LogRequest request;
  std::string path;  // empty: the mapper had none (failed before upload)
  std::uint64_t size = 0;
  std::string fingerprint;
  LogFileStatus status = LogFileStatus::kWaiting;
  int percent = 0;
  std::uint64_t rate = 0;  // bytes per second
  std::int64_t finish_time_ms = 0;
  std::int32_t result = 0;
  transfer::TransferId transfer = 0;
};

/// A decoded fileupload_start.
struct LogStart {
  StorageConfig storage;
  std::vector<LogRequest> requests;
};

/// Decodes fileupload_start data received at `now_wall_ms` (`gateway_sn` for entries naming no device).
Result<LogStart> parse_fileupload_start(const rapidjson::Value& data, std::int64_t now_wall_ms,
                                        const std::string& gateway_sn);

/// One fileupload_start: its files uploaded one after the other, progress published with its bid.
struct LogRun : std::enable_shared_from_this<LogRun> {
  std::shared_ptr<LogState> state;
  std::string bid;
  StorageConfig storage;

  std::mutex mutex;
  std::vector<LogFile> files;
  std::size_t next = 0;  // the file to start next

  // log_run.cpp
  void start_next();
  void submit(std::size_t index);
  void progressed(std::size_t index, const transfer::TransferProgress& progress);
  void done(std::size_t index, const transfer::UploadResult& result);
  void cancel(const std::vector<std::string>& modules);
  void finish();
  // log_progress.cpp
  std::string progress_json(const char* status, std::int32_t result) const;  // requires mutex
  void publish(const std::string& data_json);
};

}  // namespace docklink::dji::detail
