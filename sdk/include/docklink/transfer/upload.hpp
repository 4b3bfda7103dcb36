// Uploads of a file to S3-compatible object storage (AWS S3, MinIO, Aliyun OSS's S3 API) signed with SigV4 and
// temporary credentials, or to a pre-signed URL: one PUT for small files, a multipart upload above a threshold
// whose upload id and finished parts are kept in the Store, so an upload resumes after a restart or kill -9
// without sending finished parts again. Credentials come from the application and are treated as expiring.
// Retried with backoff on network errors and HTTP 5xx (never on other 4xx), with progress, cancel and pause.
//
// Threads: an upload runs on the thread that calls Uploader::upload() and blocks it until the object exists or
// the transfer stopped; the credentials provider and progress callbacks run on that thread too.
// TransferManager::submit_upload runs it on the manager's workers instead (progress and result on its strand).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"
#include "docklink/port/hash.hpp"
#include "docklink/port/http.hpp"
#include "docklink/port/log.hpp"
#include "docklink/port/random.hpp"
#include "docklink/port/store.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/bandwidth.hpp"
#include "docklink/transfer/progress.hpp"
#include "docklink/transfer/sigv4.hpp"
#include "docklink/transfer/transfer_control.hpp"
#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer {

/// Credentials with the moment they stop working (DJI storage_config_get / fileupload_start `expire`, turned into
/// an absolute time by the application).
struct ExpiringCredentials {
  S3Credentials credentials;        ///< Key id, secret, session token; never logged.
  std::int64_t expire_unix_ms = 0;  ///< Wall-clock deadline in Unix epoch ms; 0: they do not expire.
};

/// Why the engine asks the provider for credentials.
enum class CredentialsReason : std::uint8_t {
  kInitial,   ///< The upload starts and has none yet.
  kExpiring,  ///< The current ones reach their deadline within UploaderOptions::refresh_margin_ms.
  kRefused,   ///< The server refused them (ExpiredToken, AccessDenied, InvalidAccessKeyId, RequestTimeTooSkewed...).
};

/// Supplies credentials (e.g. by asking the cloud with storage_config_get). Runs on the uploading thread and may
/// block; an error stops the upload with TransferError::kCredentials and that status.
using CredentialsProvider = std::function<Result<ExpiringCredentials>(CredentialsReason reason)>;

/// Where the object goes in S3-compatible storage.
struct S3Destination {
  /// "https://s3.us-east-1.amazonaws.com", "http://192.168.1.1:9000": scheme, host and port only.
  std::string endpoint;
  std::string bucket;                                  ///< The bucket's name.
  std::string key;                                     ///< The object key as stored ("media/DJI_0001.JPG").
  std::string region = "us-east-1";                    ///< The SigV4 scope's region.
  S3Addressing addressing = S3Addressing::kPathStyle;  ///< See s3_addressing_for_provider().
};

/// What to upload and where.
struct UploadRequest {
  std::string source;  ///< The local file; it must not change while it uploads (its size and time are checked).
  /// Signed uploads: where to, and where credentials come from. Leave presigned_url empty.
  S3Destination destination;
  CredentialsProvider credentials;  ///< Required for signed uploads.
  /// Pre-signed uploads (Huawei IoTDA and other clouds that sign for the device): one PUT to this URL, whatever
  /// the file's size; no credentials. The URL is opaque and never logged with its query.
  std::string presigned_url;
  /// Headers sent with a pre-signed PUT exactly as given (the URL's signer may require them). Never logged.
  std::vector<port::HttpHeader> presigned_headers;
  std::string content_type;  ///< The object's Content-Type (signed); empty: none sent.
  /// Files of at least this size go up in parts (signed uploads); at most defaults::kS3MaxPutBytes.
  std::uint64_t multipart_threshold = defaults::kUploadMultipartThresholdBytes;
  /// Bytes per part, at least defaults::kS3MinPartBytes; grown when the file would need more than
  /// defaults::kUploadMaxParts parts.
  std::uint64_t part_size = defaults::kUploadPartSizeBytes;
  /// Names this upload's resume record in the Store: 1 to 100 characters of [A-Za-z0-9._-], unique per file.
  /// Empty: nothing is persisted and an interrupted multipart upload starts again after a restart.
  std::string resume_key;
  /// Bytes per second this transfer may send; 0: no limit. Paced while the body is read, with the engine's clock;
  /// a process-wide limit (UploaderOptions::bandwidth) applies as well, the stricter wins.
  std::uint64_t max_bytes_per_second = 0;
  ProgressCallback on_progress;  ///< Progress reports; may be empty.
};

/// How an upload ended.
struct UploadResult {
  Status status;                               ///< ok when the object exists with the file's bytes.
  TransferError error = TransferError::kNone;  ///< The specific kind of failure (kNone on success).
  int http_status = 0;                         ///< The last HTTP status received; 0 when none was.
  std::string s3_error_code;                   ///< The server's S3 error code of the failure, e.g. "AccessDenied".
  std::string etag;                            ///< The object's ETag on success (as the server sent it).
  std::uint64_t size = 0;                      ///< Bytes of the file.
  std::uint64_t sent = 0;                      ///< Body bytes of the file sent in this run (all attempts).
  std::uint32_t parts = 0;                     ///< Parts of a multipart upload; 0 for a single PUT.
  std::uint32_t parts_sent = 0;                ///< Parts uploaded in this run (a retried part counts once).
  std::uint32_t parts_resumed = 0;             ///< Finished parts taken from the resume record, not sent again.
  unsigned attempts = 0;                       ///< HTTP requests made in this run.
  unsigned credential_requests = 0;            ///< Calls of the credentials provider in this run.
};

/// The ports an Uploader uses. All must outlive it.
struct UploaderPorts {
  port::HttpClient* http = nullptr;        ///< Required.
  const port::Hashing* hashing = nullptr;  ///< Required: payload hashes and signatures.
  const port::Clock* clock = nullptr;      ///< Required: signing time (wall), expiry, progress throttling.
  port::Store* store = nullptr;            ///< Resume records; null: nothing is persisted.
  port::Log* log = nullptr;                ///< Diagnostics (never secrets, tokens or URL queries); may be null.
  port::Random* random = nullptr;          ///< Backoff jitter; null: each delay is half its bound.
};

/// Tunables; the defaults are in config_defaults.hpp with their reasons.
struct UploaderOptions {
  unsigned max_retries = defaults::kDownloadMaxRetries;  ///< Retries per request after network errors and 5xx.
  std::int64_t backoff_initial_ms = defaults::kDownloadBackoffInitialMs;  ///< First retry delay bound.
  std::int64_t backoff_max_ms = defaults::kDownloadBackoffMaxMs;          ///< Largest retry delay bound.
  /// Least time between two progress reports.
  std::int64_t progress_interval_ms = defaults::kTransferProgressIntervalMs;
  std::int64_t connect_timeout_ms = defaults::kHttpConnectTimeoutMs;  ///< HttpRequest::connect_timeout.
  std::int64_t stall_timeout_ms = defaults::kHttpStallTimeoutMs;      ///< HttpRequest::stall_timeout.
  /// Credentials are renewed this long before their deadline.
  std::int64_t refresh_margin_ms = defaults::kUploadCredentialsRefreshMarginMs;
  /// Waits for backoff and pacing; null: real time (TransferControl::wait_ms). Not owned.
  TransferWaiter* waiter = nullptr;
  /// The process-wide limit every transfer shares (e.g. TransferManager's); null: none. Not owned.
  BandwidthLimiter* bandwidth = nullptr;
  /// Signed uploads to an https endpoint send UNSIGNED-PAYLOAD as x-amz-content-sha256 instead of each body's
  /// SHA-256 (TLS protects the body on the way; see defaults::kUploadUnsignedPayloadOverTls). Over http the
  /// hash is always signed. false: sign the hash over https too (a server that refuses unsigned payloads).
  bool unsigned_payload_over_tls = defaults::kUploadUnsignedPayloadOverTls;
  /// Where a signed payload hash is computed: true hashes the next part on a thread of its own while the current
  /// one is sent; false hashes each body on the upload's thread before sending it (single-core boards).
  bool hash_on_own_thread = true;
};

/// Runs uploads. Thread-safe: several threads may each run their own upload (with distinct resume keys).
class DOCKLINK_API Uploader {
 public:
  /// An uploader over `ports` (http, hashing and clock required).
  explicit Uploader(UploaderPorts ports, UploaderOptions options = UploaderOptions());

  /// Uploads `request` on the calling thread and returns when the object exists or the transfer stopped (see
  /// UploadResult::error). `control` (may be null) lets another thread cancel (a multipart upload is aborted on
  /// the server and its record deleted) or pause (the record is kept for a later run with the same resume key).
  /// A multipart upload continues from its resume record when the record matches the request (same file, size,
  /// modification time, bucket, key and part size).
  UploadResult upload(const UploadRequest& request, TransferControl* control = nullptr) const;

  /// Deletes the resume record of an upload that will not be resumed (its parts stay on the server until an
  /// abort or the bucket's lifecycle rule removes them).
  Status discard(const UploadRequest& request) const;

 private:
  UploaderPorts ports_;
  UploaderOptions options_;
};

}  // namespace docklink::transfer
