// Media delivery for DJI docks: files queued by the firmware go to the cloud's object storage one after the
// other, with credentials from the `storage_config_get` request (module 0), each under the returned
// `object_key_prefix`, and each announced with a `file_upload_callback` event (need_reply) once the object exists,
// naming the key it was stored under. The queue is kept in the Store, so files queued before a restart or
// kill -9 are uploaded after it, in the order they were queued (docs/protocol.md#files).
//
// Threads: enqueue() and retry() may be called from any thread. Uploads run on the TransferManager's workers; the
// storage_config_get request is sent from there and awaited there, never on a network thread or a strand. Reports
// run on a dispatcher thread (the manager's or the client's), one at a time, never under a lock of the uploader.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "docklink/client.hpp"
#include "docklink/config_defaults.hpp"
#include "docklink/dji/storage_config.hpp"
#include "docklink/export.hpp"
#include "docklink/port/platform.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_manager.hpp"
#include "docklink/transfer/upload.hpp"

namespace docklink::dji {

namespace detail {
struct MediaState;
}  // namespace detail

/// One media file to deliver.
struct MediaFile {
  std::string path;  ///< The local file; it must stay unchanged until it is delivered.
  /// The object's key below object_key_prefix, e.g. "<flight_id>/DJI_0001.JPG": segments of [A-Za-z0-9._-]
  /// separated by '/', no "." or ".." segment. Empty: the file name of `path`.
  std::string key_suffix;
  std::string name;              ///< `file.name` of the event; empty: the file name of `path`.
  std::string event_path;        ///< `file.path` of the event (the cloud's folder for it); empty: sent empty.
  std::string ext_json;          ///< A JSON object for `file.ext` (flight_id, drone_model_key, ...); empty: {}.
  std::string metadata_json;     ///< A JSON object for `file.metadata` (shoot_position, ...); empty: not sent.
  std::string flight_task_json;  ///< A JSON object for `flight_task` (Dock 2 and later); empty: not sent.
  std::string content_type;      ///< The object's Content-Type, e.g. "image/jpeg"; empty: none.
};

/// How one queued file's delivery went, or where it stopped.
enum class MediaOutcome : std::uint8_t {
  kDelivered,  ///< The object exists and the cloud answered file_upload_callback; the file left the queue.
  kHalted,     ///< A failure that may pass (network, credentials, cloud silent): the file stays first in the queue
               ///< and the queue waits for retry(), the next enqueue() or a restart.
  kDropped,    ///< A failure no retry fixes (the file is missing or unreadable, the request is invalid): the file
               ///< left the queue.
};

/// Where a delivery stood when its report was made.
enum class MediaStage : std::uint8_t {
  kCredentials,  ///< Asking storage_config_get.
  kUpload,       ///< Uploading the object.
  kCallback,     ///< Announcing it with file_upload_callback.
};

/// A report of one queued file, given to MediaUploaderOptions::on_report.
struct MediaReport {
  std::uint64_t id = 0;                             ///< What enqueue() returned.
  MediaFile file;                                   ///< The queued file.
  MediaOutcome outcome = MediaOutcome::kDelivered;  ///< See MediaOutcome.
  MediaStage stage = MediaStage::kCallback;         ///< The stage it ended or stopped at.
  Status status;                                    ///< ok when delivered; otherwise the specific failure.
  std::string object_key;                           ///< The key the object was stored under (once uploaded).
  transfer::UploadResult upload;      ///< The upload's result (stage kUpload and later): error kind, HTTP and S3 code.
  std::int32_t callback_result = -1;  ///< data.result of the events_reply; -1 when none came.
};

/// Options of a MediaUploader.
struct MediaUploaderOptions {
  /// Keys of the persisted queue start with this; one prefix per dock sharing a Store.
  std::string store_prefix = "media.";
  /// Files queued at most (persisted ones included); enqueue() refuses more with kBusy.
  std::size_t max_queued = defaults::kMediaMaxQueuedFiles;
  /// Cached credentials are reused only while at least this much of their validity is left.
  std::int64_t reuse_margin_ms = defaults::kMediaCredentialsReuseMarginMs;
  /// Deadline of one storage_config_get request (0: the client's default).
  std::int64_t request_timeout_ms = 0;
  /// Bytes per second each upload may use (0: only the manager's process-wide limit).
  std::uint64_t max_bytes_per_second = 0;
  /// Reports of every delivered, halted or dropped file; may be empty. Runs on a dispatcher thread.
  std::function<void(const MediaReport&)> on_report;
};

/// Delivers media files to the cloud's object storage, in the order queued, one at a time (see the file
/// comment). The Client, the TransferManager and the Store must outlive it; destroy it (or shut the manager down)
/// before the client.
class DOCKLINK_API MediaUploader {
 public:
  /// An uploader that asks and announces on `client` and uploads on `manager`. From `platform` it uses the clock
  /// (required: the manager's, for credential deadlines) and the store (null: the queue lives in memory only).
  /// Nothing runs before start().
  MediaUploader(Client& client, transfer::TransferManager& manager, port::Platform platform,
                MediaUploaderOptions options = MediaUploaderOptions());
  /// Stops taking files; a running upload goes on to its end on the manager and is reported.
  ~MediaUploader();
  MediaUploader(const MediaUploader&) = delete;
  MediaUploader& operator=(const MediaUploader&) = delete;

  /// Loads the queue persisted by an earlier process (records that cannot be read are deleted) and starts
  /// delivering. Returns how many files were loaded. kInvalidArgument without a clock; the Store's error when
  /// its keys cannot be listed. Once only (kInvalidArgument again).
  Result<std::size_t> start();
  /// Queues `file` (persisted before this returns) and starts delivering when idle. Returns its id. kInvalidArgument
  /// before start(), for an empty path, an unsafe key suffix or JSON members that are not objects; kBusy when
  /// max_queued are queued; the Store's error when it could not be persisted.
  Result<std::uint64_t> enqueue(MediaFile file);
  /// Resumes a queue halted by a failure (a no-op while one is delivering).
  void retry();
  /// Files queued and not yet delivered (the one delivering included): DJI's media_file_detail.remain_upload.
  std::size_t remaining() const;
  /// Forgets the cached credentials, so the next file asks storage_config_get again (e.g. after a re-bind).
  void forget_credentials();

 private:
  std::shared_ptr<detail::MediaState> state_;
};

}  // namespace docklink::dji
