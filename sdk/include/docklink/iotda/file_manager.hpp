// File upload and download over IoTDA's `$file_manager` system service: the device asks for a pre-signed OBS URL
// (`get_upload_url` / `get_download_url`), the platform answers with it, the file goes up (one PUT) or comes down
// (verified by SHA-256) on a TransferManager, and the device reports the outcome (`upload_result_report` /
// `download_result_report`) (docs/architecture.md#iotda-ota-and-files).
//
// Threads: upload() and download() may be called from any thread; the platform's answers arrive on the client's
// user strand; transfers run on the manager's workers; `done` callbacks run on a dispatcher thread (the manager's
// queue, the client's user strand, or the manager's own timer strand for a URL that never came), never under a
// lock of the FileManager.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "docklink/client.hpp"
#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/runtime.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_error.hpp"
#include "docklink/transfer/transfer_manager.hpp"

namespace docklink::iotda {

namespace detail {
struct FileManagerState;
}  // namespace detail

/// A local file to put on the platform's OBS bucket.
struct FileUpload {
  std::string device_sn;  ///< The device it is about: the gateway or a sub-device; required.
  std::string path;       ///< The local file; it must stay unchanged until the upload ended.
  /// Its name on the platform (get_upload_url's file_name); empty: the file name of `path`.
  std::string file_name;
  /// Sent as file_attributes.hash_code when set (lower-case SHA-256 hex), so the platform can check the object.
  std::string sha256;
  /// Content-Type of the PUT. OBS query signatures may cover it, and both of Huawei's device SDKs send text/plain,
  /// so that is the default; empty sends none.
  std::string content_type = "text/plain";
};

/// A file of the platform's OBS bucket to fetch.
struct FileDownload {
  std::string device_sn;    ///< The device it is about: the gateway or a sub-device; required.
  std::string file_name;    ///< The platform's name of the file (get_download_url's file_name); required.
  std::string destination;  ///< Where the verified file goes; required.
  /// Expected SHA-256 (64 hex digits); empty: the answer's file_attributes.hash_code.
  std::string sha256;
  /// Accept the file when neither gives a digest. Off: such a download fails (every file is verified).
  bool allow_unverified = false;
};

/// How an upload or download ended.
struct FileTransferResult {
  Status status;            ///< ok when the file was moved (and verified).
  std::string object_name;  ///< The platform's object name; empty without an answer.
  int http_status = 0;      ///< OBS's last HTTP status; 0 when none came.
  transfer::TransferError error = transfer::TransferError::kNone;  ///< The transfer's failure kind.
};

/// Receives the end of one upload or download, once, on a dispatcher thread.
using FileDoneCallback = std::function<void(const FileTransferResult& result)>;

/// Bounds of a FileManager; defaults in config_defaults.hpp with their reasons.
struct FileManagerOptions {
  /// How long to wait for the platform's URL before the transfer fails with kTimeout (no result is reported:
  /// there is no object to name).
  std::int64_t url_timeout_ms = defaults::kIotdaFileUrlTimeoutMs;
  /// Transfers waiting for their URL at most; upload() and download() refuse more with kBusy.
  std::size_t max_waiting = defaults::kIotdaFileMaxWaiting;
  /// Bytes per second each transfer may use (0: only the manager's process-wide limit).
  std::uint64_t max_bytes_per_second = 0;
};

/// Runs `$file_manager` for one client (see the file comment). A file name may wait for one URL at a time per
/// device and direction; an answer is matched to the request whose file name equals its object_name, else to the
/// oldest request of its device and direction. A pre-signed PUT cannot resume: a failed upload is asked for
/// again from the start. The Client, the TransferManager and the Runtime must outlive it; destroy it before them.
class DOCKLINK_API FileManager {
 public:
  /// A manager that asks and reports on `client`, transfers on `manager` and times the URL waits on `runtime`'s
  /// clock and timer thread.
  FileManager(Client& client, transfer::TransferManager& manager, Runtime& runtime,
              FileManagerOptions options = FileManagerOptions());
  /// Fails what still waits for a URL with kShutdown (its callbacks run before it returns, on this thread);
  /// transfers already on the manager go on and report.
  ~FileManager();
  FileManager(const FileManager&) = delete;
  FileManager& operator=(const FileManager&) = delete;

  /// Registers the `$file_manager` handler on the client.
  void attach();
  /// Handles one `$file_manager` event (what attach() registers), for applications that route events themselves.
  void handle(const SystemEvent& event);
  /// Asks for an upload URL for `file`, then uploads it and reports the result. kInvalidArgument for a missing
  /// device or path, or a file name of more than defaults::kIotdaMaxNameLength bytes; kBusy when max_waiting wait
  /// or the same name already waits; the client's error when the request could not be published.
  Status upload(FileUpload file, FileDoneCallback done);
  /// Asks for a download URL for `file`, then downloads and verifies it and reports the result. Errors as upload().
  Status download(FileDownload file, FileDoneCallback done);
  /// Transfers waiting for their URL.
  std::size_t waiting() const;

 private:
  std::shared_ptr<detail::FileManagerState> state_;
};

}  // namespace docklink::iotda
