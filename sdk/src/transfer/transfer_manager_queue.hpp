// The machinery behind TransferManager: the queue, the worker threads and the delivery of callbacks through a
// strand of the Runtime's executor. Private to the SDK.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "docklink/transfer/transfer_manager.hpp"
#include "executor.hpp"

namespace docklink::transfer::detail {

/// One submitted transfer. Shared by the queue, its worker and the callback tasks in flight.
struct Transfer {
  TransferId id = 0;
  std::unique_ptr<TransferJob> job;
  TransferCallbacks callbacks;
  TransferControl control;
  // Guarded by TransferQueue::mutex_: the latest report not yet delivered, and whether a delivery is queued.
  std::optional<TransferProgress> pending_progress;
  bool progress_posted = false;
};

/// Queue, workers and callback delivery. Thread-safe.
class TransferQueue {
 public:
  TransferQueue(docklink::detail::Executor& executor, const port::Clock& clock, const TransferManagerOptions& options);
  ~TransferQueue();

  Result<TransferId> submit(std::unique_ptr<TransferJob> job, TransferCallbacks callbacks);
  /// Stops transfer `id`: cancel or pause. kNotFound when it is not queued or running.
  Status stop(TransferId id, bool cancel);
  std::size_t active() const;
  void shutdown();

  BandwidthLimiter& bandwidth() { return bandwidth_; }
  TransferWaiter& waiter() { return *waiter_; }
  /// Queues the delivery of `transfer`'s latest progress report (coalesced).
  void report_progress(const std::shared_ptr<Transfer>& transfer, const TransferProgress& progress);

 private:
  void worker_loop();
  TransferOutcome run_one(const std::shared_ptr<Transfer>& transfer);
  void deliver_done(const std::shared_ptr<Transfer>& transfer, TransferOutcome outcome);
  void start_worker_if_needed();  // requires mutex_

  const unsigned max_workers_;
  const std::size_t max_transfers_;
  std::shared_ptr<docklink::detail::Strand> callbacks_;
  BandwidthLimiter bandwidth_;
  std::unique_ptr<TransferWaiter> real_time_;
  TransferWaiter* waiter_;

  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::shared_ptr<Transfer>> queued_;
  std::map<TransferId, std::shared_ptr<Transfer>> running_;
  std::vector<std::thread> workers_;
  unsigned idle_workers_ = 0;
  TransferId next_id_ = 1;
  bool stopping_ = false;
  std::mutex shutdown_mutex_;  // one shutdown at a time; the second waits for the first to finish
  bool shut_down_ = false;
};

/// A download as a TransferJob (TransferManager::submit_download).
std::unique_ptr<TransferJob> make_download_job(const Downloader& downloader, DownloadRequest request,
                                               std::shared_ptr<DownloadResult> result);

/// An upload as a TransferJob (TransferManager::submit_upload).
std::unique_ptr<TransferJob> make_upload_job(const Uploader& uploader, UploadRequest request,
                                             std::shared_ptr<UploadResult> result);

}  // namespace docklink::transfer::detail
