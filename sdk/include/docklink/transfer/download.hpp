// Downloads to a file: verified (size and MD5 or SHA-256 checked before the file is handed on), resumable across
// a process restart or kill -9 (Range + If-Range from a record in the Store), retried with backoff on network
// errors and HTTP 5xx, with progress, cancel, pause and an optional bandwidth limit.
//
// Threads: a download runs on the thread that calls Downloader::download() and blocks it until the file is done
// or the transfer stopped; progress callbacks run on that thread too. (Worker threads come with a later layer.)
#pragma once

#include <cstdint>
#include <optional>
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
#include "docklink/transfer/transfer_control.hpp"
#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer {

/// What to download and how to check it.
struct DownloadRequest {
  /// http:// or https:// (pre-signed URLs are opaque: passed as given, never logged with their query).
  std::string url;
  /// Sent with every attempt, e.g. {"Authorization", "Bearer <token>"} (Huawei IoTDA). Never logged.
  std::vector<port::HttpHeader> headers;
  /// Where the verified file goes. Data arrives in "<destination>.part", renamed only once verified.
  std::string destination;
  /// The size the file must have (DJI file_size), or none when the message gave none.
  std::optional<std::uint64_t> expected_size;
  /// Hex digest the file must have (DJI md5, fingerprint, checksum): 32 hex digits for MD5, 64 for SHA-256, any
  /// case. Required unless allow_unverified is set.
  std::string expected_digest;
  /// Algorithm of expected_digest.
  port::HashAlgorithm digest_algorithm = port::HashAlgorithm::kMd5;
  /// Accept a file without a digest check (expected_digest empty). Off by default: every download is verified.
  bool allow_unverified = false;
  /// Names this download's resume record in the Store: 1 to 100 characters of [A-Za-z0-9._-], unique per file
  /// (e.g. "ota-<sn>"). Empty: nothing is persisted, and the download restarts from zero after a restart
  /// (retries within one run still resume).
  std::string resume_key;
  /// Bytes per second this transfer may use; 0: no limit. Paced while writing, with the engine's clock; a
  /// process-wide limit (DownloaderOptions::bandwidth) applies as well, the stricter wins.
  std::uint64_t max_bytes_per_second = 0;
  /// Progress reports; may be empty.
  ProgressCallback on_progress;
};

/// How a download ended.
struct DownloadResult {
  Status status;                               ///< ok when the file is at its destination, verified.
  TransferError error = TransferError::kNone;  ///< The specific kind of failure (kNone on success).
  int http_status = 0;                         ///< The last HTTP status received; 0 when none was.
  std::uint64_t size = 0;                      ///< Bytes of the file in place (all of it on success).
  std::uint64_t resumed_from = 0;              ///< Offset the run continued from (0: it started from zero).
  std::uint64_t fetched = 0;                   ///< Body bytes received over the network in this run.
  unsigned attempts = 0;                       ///< HTTP requests made in this run.
  /// Attempts that failed and were made again (network errors, timeouts, HTTP 5xx) in this run.
  unsigned retries = 0;
};

/// The ports a Downloader uses. All must outlive it.
struct DownloaderPorts {
  port::HttpClient* http = nullptr;        ///< Required.
  const port::Hashing* hashing = nullptr;  ///< Required.
  const port::Clock* clock = nullptr;      ///< Required: progress throttling, bandwidth pacing.
  port::Store* store = nullptr;            ///< Resume records; null: nothing is persisted.
  port::Log* log = nullptr;                ///< Diagnostics (never URLs' queries or headers); may be null.
  port::Random* random = nullptr;          ///< Backoff jitter; null: each delay is half its bound.
};

/// Tunables; the defaults are in config_defaults.hpp with their reasons.
struct DownloaderOptions {
  unsigned max_retries = defaults::kDownloadMaxRetries;  ///< Retries after network errors, timeouts, HTTP 5xx.
  std::int64_t backoff_initial_ms = defaults::kDownloadBackoffInitialMs;  ///< First retry delay bound.
  std::int64_t backoff_max_ms = defaults::kDownloadBackoffMaxMs;          ///< Largest retry delay bound.
  /// Least time between two progress reports.
  std::int64_t progress_interval_ms = defaults::kTransferProgressIntervalMs;
  std::int64_t connect_timeout_ms = defaults::kHttpConnectTimeoutMs;  ///< HttpRequest::connect_timeout.
  /// HttpRequest::stall_timeout: no byte for this long is a timeout (retried).
  std::int64_t stall_timeout_ms = defaults::kHttpStallTimeoutMs;
  /// Waits for backoff and pacing; null: real time (TransferControl::wait_ms). Not owned.
  TransferWaiter* waiter = nullptr;
  /// While a bandwidth limit holds a download back, each request asks for a range of what the limit allows in
  /// this long (at least defaults::kDownloadPacedRangeMinBytes; the rest of the file in one when it fits), so the
  /// server never waits on the engine's reads longer than that. Keep it below the server's send timeout (nginx
  /// `send_timeout`, 60 s by default). 0: one request for the whole rest, as without a limit.
  std::int64_t paced_range_ms = defaults::kDownloadPacedRangeMs;
  /// The process-wide limit every download shares (e.g. TransferManager's); null: none. Not owned.
  BandwidthLimiter* bandwidth = nullptr;
  /// Hash each download on a thread of its own, reading the partial file back behind the writer, so the digest
  /// runs beside the network on another core. false: hash each piece on the download's thread (single-core boards,
  /// where a second thread only adds switches).
  bool hash_on_own_thread = true;
};

/// Runs downloads. Thread-safe: several threads may each run their own download (with distinct resume keys and
/// destinations) through one Downloader.
class DOCKLINK_API Downloader {
 public:
  /// A downloader over `ports` (http, hashing and clock required).
  explicit Downloader(DownloaderPorts ports, DownloaderOptions options = DownloaderOptions());

  /// Downloads `request` on the calling thread and returns when the file is verified at its destination or the
  /// transfer stopped (see DownloadResult::error). `control` (may be null) lets another thread cancel or pause.
  /// Resumes from the request's resume record when one matches it (same destination, size and digest; the URL
  /// may differ, e.g. a refreshed pre-signed URL, since If-Range guards against a changed file).
  DownloadResult download(const DownloadRequest& request, TransferControl* control = nullptr) const;

  /// Deletes the partial file and resume record of a download that will not be resumed.
  Status discard(const DownloadRequest& request) const;

 private:
  DownloaderPorts ports_;
  DownloaderOptions options_;
};

}  // namespace docklink::transfer
