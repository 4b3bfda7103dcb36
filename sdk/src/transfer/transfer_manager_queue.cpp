#include "transfer_manager_queue.hpp"

#include <algorithm>
#include <utility>

namespace docklink::transfer::detail {
namespace {

// Waits in real time, woken early by a stop request.
class RealTimeWaiter final : public TransferWaiter {
 public:
  void wait(std::int64_t ms, TransferControl& control) override { control.wait_ms(ms); }
};

// The context of one running job: its control, the shared limit, and progress through the queue.
class QueueContext final : public TransferContext {
 public:
  QueueContext(TransferQueue& queue, std::shared_ptr<Transfer> transfer)
      : queue_(queue), transfer_(std::move(transfer)) {}
  TransferControl& control() override { return transfer_->control; }
  BandwidthLimiter& bandwidth() override { return queue_.bandwidth(); }
  TransferWaiter& waiter() override { return queue_.waiter(); }
  void report_progress(const TransferProgress& progress) override { queue_.report_progress(transfer_, progress); }

 private:
  TransferQueue& queue_;
  std::shared_ptr<Transfer> transfer_;
};

TransferOutcome stopped_while_queued(bool cancel) {
  if (cancel) return {Status(StatusCode::kShutdown, "transfer cancelled before it started"), TransferError::kCancelled};
  return {Status(StatusCode::kShutdown, "transfer paused before it started"), TransferError::kPaused};
}

}  // namespace

TransferQueue::TransferQueue(docklink::detail::Executor& executor, const port::Clock& clock,
                             const TransferManagerOptions& options)
    : max_workers_(std::clamp(options.worker_threads, 1u, defaults::kTransferMaxWorkerThreads)),
      max_transfers_(std::max<std::size_t>(options.max_transfers, 1)),
      callbacks_(executor.make_strand()),
      bandwidth_(clock, options.bandwidth_limit),
      real_time_(std::make_unique<RealTimeWaiter>()),
      waiter_(options.download.waiter != nullptr ? options.download.waiter : real_time_.get()) {}

TransferQueue::~TransferQueue() { shutdown(); }

Result<TransferId> TransferQueue::submit(std::unique_ptr<TransferJob> job, TransferCallbacks callbacks) {
  if (!job) return Status(StatusCode::kInvalidArgument, "no transfer job");
  auto transfer = std::make_shared<Transfer>();
  transfer->job = std::move(job);
  transfer->callbacks = std::move(callbacks);
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return Status(StatusCode::kShutdown, "transfer manager shut down");
  if (queued_.size() + running_.size() >= max_transfers_) {
    return Status(StatusCode::kBusy, "transfer manager holds " + std::to_string(max_transfers_) + " transfers");
  }
  transfer->id = next_id_++;
  queued_.push_back(transfer);
  start_worker_if_needed();
  work_.notify_one();
  return transfer->id;
}

// Threads start on demand, up to the limit: a dock that never transfers a file never pays for them.
void TransferQueue::start_worker_if_needed() {
  if (queued_.size() <= idle_workers_ || workers_.size() >= max_workers_) return;
  workers_.emplace_back([this] { worker_loop(); });
}

Status TransferQueue::stop(TransferId id, bool cancel) {
  std::shared_ptr<Transfer> dequeued;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto running = running_.find(id);
    if (running != running_.end()) {
      if (cancel) {
        running->second->control.cancel();
      } else {
        running->second->control.pause();
      }
      return Status::ok();
    }
    auto queued = std::find_if(queued_.begin(), queued_.end(), [id](const auto& t) { return t->id == id; });
    if (queued == queued_.end()) return Status(StatusCode::kNotFound, "no transfer " + std::to_string(id));
    dequeued = *queued;
    queued_.erase(queued);
  }
  deliver_done(dequeued, stopped_while_queued(cancel));
  return Status::ok();
}

std::size_t TransferQueue::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_.size() + running_.size();
}

void TransferQueue::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_workers_;
    work_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    --idle_workers_;
    if (stopping_) return;
    std::shared_ptr<Transfer> transfer = std::move(queued_.front());
    queued_.pop_front();
    running_.emplace(transfer->id, transfer);
    lock.unlock();
    TransferOutcome outcome = run_one(transfer);
    lock.lock();
    running_.erase(transfer->id);  // before on_done: the callback sees it ended (active(), cancel's kNotFound)
    lock.unlock();
    deliver_done(transfer, std::move(outcome));
    lock.lock();
  }
}

TransferOutcome TransferQueue::run_one(const std::shared_ptr<Transfer>& transfer) {
  QueueContext context(*this, transfer);
  return transfer->job->run(context);
}

void TransferQueue::report_progress(const std::shared_ptr<Transfer>& transfer, const TransferProgress& progress) {
  if (!transfer->callbacks.on_progress) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    transfer->pending_progress = progress;
    if (transfer->progress_posted) return;  // the queued delivery will carry this newer report
    transfer->progress_posted = true;
  }
  static_cast<void>(callbacks_->post([this, transfer] {  // refused only once shut down: then nothing is delivered
    std::optional<TransferProgress> latest;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      latest.swap(transfer->pending_progress);
      transfer->progress_posted = false;
    }
    if (latest) transfer->callbacks.on_progress(*latest);
  }));
}

void TransferQueue::deliver_done(const std::shared_ptr<Transfer>& transfer, TransferOutcome outcome) {
  if (!transfer->callbacks.on_done) return;
  // Refused only once shut down, when no callback may run any more.
  static_cast<void>(callbacks_->post(
      [transfer, outcome = std::move(outcome)] { transfer->callbacks.on_done(transfer->id, outcome); }));
}

void TransferQueue::shutdown() {
  std::lock_guard<std::mutex> once(shutdown_mutex_);
  if (shut_down_) return;
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queued_.clear();
    for (auto& running : running_) running.second->control.pause();
    workers.swap(workers_);
  }
  work_.notify_all();
  callbacks_->close_and_wait();  // from here on nothing is delivered
  for (auto& worker : workers) worker.join();
  shut_down_ = true;
}

}  // namespace docklink::transfer::detail
