// What a transfer manager runs: a job (a download, an upload, anything that moves a file) on one of its worker
// threads, with the context the manager gives it (stop requests, the shared bandwidth limit, progress reports).
#pragma once

#include <cstdint>

#include "docklink/export.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/bandwidth.hpp"
#include "docklink/transfer/progress.hpp"
#include "docklink/transfer/transfer_control.hpp"
#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer {

/// Identifies a transfer of a TransferManager; 0 is never used.
using TransferId = std::uint64_t;

/// How a job ended, in the terms every transfer shares (a download's DownloadResult says more).
struct TransferOutcome {
  Status status;                               ///< ok when the transfer finished.
  TransferError error = TransferError::kNone;  ///< The specific kind of failure (kNone on success).
  std::uint64_t bytes = 0;                     ///< Bytes of the file moved or in place at the end.
};

/// What the manager gives a running job. Valid only during TransferJob::run(), on the job's worker thread.
class DOCKLINK_API TransferContext {
 public:
  virtual ~TransferContext() = default;
  /// Cancel and pause requests for this transfer (TransferManager::cancel/pause, shutdown): poll it, pass its
  /// stop_flag() to each HttpRequest, and wait through waiter() so a stop ends a wait at once.
  virtual TransferControl& control() = 0;
  /// The process-wide bandwidth limit; pace moved bytes with a TransferPacer over it.
  virtual BandwidthLimiter& bandwidth() = 0;
  /// How to wait (backoff, pacing): real time ended early by a stop, or the test's waiter.
  virtual TransferWaiter& waiter() = 0;
  /// Hands a progress report to the submitter's progress callback, which runs later on a dispatcher thread; a
  /// report still waiting for its turn is replaced by the newer one. Never blocks on the callback.
  virtual void report_progress(const TransferProgress& progress) = 0;
};

/// One transfer to run on a worker thread. Implement it for a new kind of transfer (the S3 uploader does); the
/// manager owns the job and destroys it once it ended and its callbacks were delivered or dropped.
class DOCKLINK_API TransferJob {
 public:
  virtual ~TransferJob() = default;
  /// Runs the transfer to its end, blocking the worker thread; returns early (kCancelled or kPaused) once
  /// context.control() requests a stop. Must not throw.
  virtual TransferOutcome run(TransferContext& context) = 0;
};

}  // namespace docklink::transfer
