#include "docklink/transfer/transfer_manager.hpp"

#include "runtime_access.hpp"
#include "transfer_manager_queue.hpp"

namespace docklink::transfer {
namespace detail {
namespace {

DownloaderOptions with_limiter(DownloaderOptions options, BandwidthLimiter& limiter) {
  options.bandwidth = &limiter;
  return options;
}

UploaderOptions with_limiter(UploaderOptions options, BandwidthLimiter& limiter, TransferWaiter& waiter) {
  options.bandwidth = &limiter;
  if (options.waiter == nullptr) options.waiter = &waiter;
  return options;
}

UploaderPorts upload_ports(const DownloaderPorts& ports) {
  return {ports.http, ports.hashing, ports.clock, ports.store, ports.log, ports.random};
}

}  // namespace

/// The manager's state: the queue, and the downloader and uploader its jobs share.
class TransferManagerState {
 public:
  TransferManagerState(docklink::detail::Executor& executor, DownloaderPorts ports,
                       const TransferManagerOptions& options)
      : queue(executor, ports.clock != nullptr ? *ports.clock : executor.clock(), options),
        downloader(ports, with_limiter(options.download, queue.bandwidth())),
        uploader(upload_ports(ports), with_limiter(options.upload, queue.bandwidth(), queue.waiter())) {}
  TransferQueue queue;
  Downloader downloader;
  Uploader uploader;
};

}  // namespace detail

TransferManager::TransferManager(Runtime& runtime, DownloaderPorts ports, TransferManagerOptions options)
    : state_(std::make_unique<detail::TransferManagerState>(docklink::detail::RuntimeAccess::executor(runtime), ports,
                                                            options)) {}

TransferManager::~TransferManager() { shutdown(); }

Result<TransferId> TransferManager::submit(std::unique_ptr<TransferJob> job, TransferCallbacks callbacks) {
  return state_->queue.submit(std::move(job), std::move(callbacks));
}

Result<TransferId> TransferManager::submit_download(DownloadRequest request, DownloadDoneCallback on_done) {
  auto result = std::make_shared<DownloadResult>();
  TransferCallbacks callbacks;
  callbacks.on_progress = std::move(request.on_progress);
  if (on_done) {
    callbacks.on_done = [result, on_done = std::move(on_done)](TransferId id, const TransferOutcome&) {
      on_done(id, *result);
    };
  }
  auto job = detail::make_download_job(state_->downloader, std::move(request), result);
  return state_->queue.submit(std::move(job), std::move(callbacks));
}

Result<TransferId> TransferManager::submit_upload(UploadRequest request, UploadDoneCallback on_done) {
  auto result = std::make_shared<UploadResult>();
  TransferCallbacks callbacks;
  callbacks.on_progress = std::move(request.on_progress);
  if (on_done) {
    callbacks.on_done = [result, on_done = std::move(on_done)](TransferId id, const TransferOutcome&) {
      on_done(id, *result);
    };
  }
  auto job = detail::make_upload_job(state_->uploader, std::move(request), result);
  return state_->queue.submit(std::move(job), std::move(callbacks));
}

Status TransferManager::cancel(TransferId id) { return state_->queue.stop(id, true); }

Status TransferManager::pause(TransferId id) { return state_->queue.stop(id, false); }

void TransferManager::set_bandwidth_limit(std::uint64_t bytes_per_second) {
  state_->queue.bandwidth().set_limit(bytes_per_second);
}

BandwidthLimiter& TransferManager::bandwidth() { return state_->queue.bandwidth(); }

std::size_t TransferManager::active() const { return state_->queue.active(); }

void TransferManager::shutdown() { state_->queue.shutdown(); }

}  // namespace docklink::transfer
