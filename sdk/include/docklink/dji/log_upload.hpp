// Log delivery for DJI docks: the `fileupload_start` service names logs (per device and module, by boot index)
// and hands over object storage with temporary credentials; the application turns each requested set of logs
// into one local file, which is uploaded under the object key the cloud chose, one file after the other, with
// `fileupload_progress` events (progress, rate, result per file) carrying the call's bid. `fileupload_update` with
// status "cancel" stops them. The credentials cannot be renewed (DJI has no request for it): a refusal or their
// deadline ends the file as failed (docs/protocol.md#files).
//
// Threads: the handlers and the file mapper run on the client's dispatcher strand; uploads run on the
// TransferManager's workers; progress events are published from the manager's dispatcher queue. Nothing runs
// under a lock of the uploader.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/export.hpp"
#include "docklink/port/hash.hpp"
#include "docklink/port/platform.hpp"
#include "docklink/service.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_manager.hpp"

namespace docklink::dji {

namespace detail {
struct LogState;
}  // namespace detail

/// One entry of `fileupload_start.params.files[]`: the logs the cloud wants in one object.
struct LogRequest {
  std::string device_sn;                   ///< The device (the dock's SN when the cloud gave none).
  std::string module;                      ///< "0" aircraft, "3" dock (as text, whichever form it came in).
  std::vector<std::int64_t> boot_indexes;  ///< `list[].boot_index`: which boots' logs.
  std::string object_key;                  ///< Where the cloud wants the object.
};

/// Turns a requested set of logs into one local file (the logs themselves, or an archive the application made)
/// and returns its path, or an error when there is no such log. Runs on the client's dispatcher strand when the
/// call arrives: keep it short. The file must stay unchanged until its upload ended.
using LogFileMapper = std::function<Result<std::string>(const LogRequest& request)>;

/// The status of one file in `fileupload_progress` (`progress.status`).
enum class LogFileStatus : std::uint8_t {
  kWaiting,     ///< Not started yet ("sent").
  kInProgress,  ///< Uploading.
  kOk,          ///< The object exists.
  kFailed,      ///< Ended with a 3249xx result.
  kCanceled,    ///< Stopped by fileupload_update.
};

/// The protocol's name for a log file status: "sent", "in_progress", "ok", "failed", "canceled".
DOCKLINK_API const char* to_string(LogFileStatus status) noexcept;

/// The `result` of a file (and of the run) whose upload ended with `error`: 0, or DockLink's own 3249xx codes
/// (DJI publishes none for these): 324901 upload failed (network, HTTP, S3), 324902 credentials refused or
/// expired, 324903 no such log or it could not be read (docs/protocol.md#result-codes).
DOCKLINK_API std::int32_t log_result_code(transfer::TransferError error) noexcept;

/// Options of a LogUploader.
struct LogUploaderOptions {
  LogFileMapper map_file;                  ///< Required.
  const port::Hashing* hashing = nullptr;  ///< For each file's `fingerprint` (MD5); null: sent empty.
  std::uint64_t max_bytes_per_second = 0;  ///< Per upload (0: only the manager's process-wide limit).
};

/// Runs `fileupload_start` (one call at a time; another meanwhile is answered 325009, logs being exported) and
/// `fileupload_update`. The client and manager must outlive it; destroy it before the client.
class DOCKLINK_API LogUploader {
 public:
  /// An uploader that answers on `client` and uploads on `manager`; `platform.clock` is required (the manager's:
  /// credential deadlines and finish_time).
  LogUploader(Client& client, transfer::TransferManager& manager, port::Platform platform, LogUploaderOptions options);
  /// Running uploads end on the manager; nothing is published after this returns.
  ~LogUploader();
  LogUploader(const LogUploader&) = delete;
  LogUploader& operator=(const LogUploader&) = delete;

  /// Registers the `fileupload_start` and `fileupload_update` handlers on the client.
  void attach();
  /// Handles one `fileupload_start` call (what attach() registers), for clients that route services themselves.
  ServiceReply handle_start(ServiceCall& call);
  /// Handles one `fileupload_update` call: status "cancel" stops the files of the listed modules (all when
  /// module_list is missing or empty).
  ServiceReply handle_update(ServiceCall& call);
  /// True while a fileupload_start runs.
  bool busy() const;

 private:
  std::shared_ptr<detail::LogState> state_;
};

}  // namespace docklink::dji
