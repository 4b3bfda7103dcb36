// Transfers on the SDK's own worker threads: a bounded pool with a queue, downloads, uploads and any other
// TransferJob, cancel and pause per transfer, a process-wide bandwidth limit changeable at run time, and
// progress and completion callbacks delivered on the Runtime's dispatcher threads.
//
// Threads: jobs run on the manager's workers (never on the MQTT transport thread or a client's strand). Callbacks
// run on a dispatcher thread of the Runtime, one at a time in the order they were posted (the manager's own serial
// queue, separate from every client's, so a slow callback delays no dock's handlers), never on a worker and never
// under a lock of the manager: they may call the manager (submit, cancel, pause) and the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/runtime.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/bandwidth.hpp"
#include "docklink/transfer/download.hpp"
#include "docklink/transfer/transfer_job.hpp"
#include "docklink/transfer/upload.hpp"

namespace docklink::transfer {

namespace detail {
class TransferManagerState;
}  // namespace detail

/// Callbacks of one submitted transfer, run on a dispatcher thread. Either may be empty.
struct TransferCallbacks {
  /// Progress reports, throttled by the job (downloads: defaults::kTransferProgressIntervalMs); reports that pile
  /// up while the dispatcher is busy are coalesced to the latest.
  ProgressCallback on_progress;
  /// Once, after the last progress report, when the transfer ended (also when cancelled or paused while queued).
  std::function<void(TransferId, const TransferOutcome&)> on_done;
};

/// Receives a download's result, once, on a dispatcher thread.
using DownloadDoneCallback = std::function<void(TransferId, const DownloadResult&)>;

/// Receives an upload's result, once, on a dispatcher thread.
using UploadDoneCallback = std::function<void(TransferId, const UploadResult&)>;

/// Sizes and tunables of a TransferManager; defaults in config_defaults.hpp with their reasons.
struct TransferManagerOptions {
  /// Transfers running at once (worker threads, started when needed): 1 to defaults::kTransferMaxWorkerThreads.
  unsigned worker_threads = defaults::kTransferWorkerThreads;
  /// Transfers queued or running at once; submit() refuses more (kBusy).
  std::size_t max_transfers = defaults::kTransferMaxQueued;
  /// The process-wide bandwidth limit at start, bytes per second; 0: none (set_bandwidth_limit changes it).
  std::uint64_t bandwidth_limit = 0;
  /// Options of the manager's downloads (retries, timeouts, a test's waiter). Its `bandwidth` is ignored: the
  /// manager's limiter is used.
  DownloaderOptions download;
  /// Options of the manager's uploads (retries, timeouts, credential margin). Its `bandwidth` is ignored (the
  /// manager's limiter is used); a null `waiter` takes the downloads' one.
  UploaderOptions upload;
};

/// Runs transfers on a bounded pool of worker threads. Thread-safe. Construct it with the Runtime whose dispatcher
/// threads deliver its callbacks; destroy it before the Runtime.
class DOCKLINK_API TransferManager {
 public:
  /// A manager whose downloads and uploads use `ports` (http, hashing and clock required; all must outlive the
  /// manager).
  TransferManager(Runtime& runtime, DownloaderPorts ports, TransferManagerOptions options = TransferManagerOptions());
  /// shutdown().
  ~TransferManager();
  TransferManager(const TransferManager&) = delete;
  TransferManager& operator=(const TransferManager&) = delete;

  /// Queues `job`; it runs when a worker is free, in submission order. kShutdown after shutdown(),
  /// kBusy when options' max_transfers are queued or running, kInvalidArgument for a null job.
  Result<TransferId> submit(std::unique_ptr<TransferJob> job, TransferCallbacks callbacks = TransferCallbacks());

  /// Queues a download (see Downloader::download). Its request's on_progress runs on a dispatcher thread, and
  /// `on_done` receives the DownloadResult. The request is checked when it runs (an invalid one ends with
  /// kInvalidRequest through on_done).
  Result<TransferId> submit_download(DownloadRequest request, DownloadDoneCallback on_done);

  /// Queues an upload (see Uploader::upload), paced by the process-wide limit and the request's own
  /// max_bytes_per_second. Its request's on_progress runs on a dispatcher thread and `on_done` receives the
  /// UploadResult; the credentials provider runs on the worker (it may block, e.g. on a request to the cloud).
  /// Pause keeps a multipart upload's resume record; cancel aborts it on the server.
  Result<TransferId> submit_upload(UploadRequest request, UploadDoneCallback on_done);

  /// Cancels a transfer: a queued one ends without running, a running one stops and deletes its partial data
  /// (TransferControl::cancel). kNotFound when it already ended or never existed.
  Status cancel(TransferId id);
  /// Pauses a transfer: a queued one ends without running, a running one stops and keeps its partial data for a
  /// later run with the same resume key (TransferControl::pause). kNotFound when it already ended.
  Status pause(TransferId id);

  /// Changes the process-wide bandwidth limit at once for every transfer, running ones included (0: none).
  void set_bandwidth_limit(std::uint64_t bytes_per_second);
  /// The process-wide limiter, for jobs built outside the manager.
  BandwidthLimiter& bandwidth();

  /// Transfers queued or running.
  std::size_t active() const;

  /// Refuses new transfers, drops queued ones, pauses running ones (their partial data and resume records stay,
  /// so the next process continues them), drops callbacks not yet started, waits for a callback that is running,
  /// and joins the workers. No callback runs once it has returned. Idempotent. Not from inside a callback.
  void shutdown();

 private:
  std::unique_ptr<detail::TransferManagerState> state_;
};

}  // namespace docklink::transfer
