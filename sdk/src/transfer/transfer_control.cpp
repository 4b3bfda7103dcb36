#include "docklink/transfer/transfer_control.hpp"

#include <chrono>

namespace docklink::transfer {

void TransferControl::cancel() noexcept {
  cancelled_ = true;
  request_stop();
}

void TransferControl::pause() noexcept { request_stop(); }

void TransferControl::request_stop() noexcept {
  {
    // Under the mutex so a waiter between its check and its wait cannot miss the notification.
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
}

void TransferControl::wait_ms(std::int64_t ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  stopped_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
}

}  // namespace docklink::transfer
