#include "connect_gate.hpp"

#include <utility>

namespace docklink::detail {

void ConnectGate::enter(Offer offer) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (max_active_ != 0 && active_ >= max_active_) {
      waiters_.push_back(std::move(offer));
      return;
    }
    ++active_;
  }
  if (!offer()) leave();
}

void ConnectGate::leave() {
  for (;;) {
    Offer next;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (waiters_.empty()) {
        if (active_ > 0) --active_;
        return;
      }
      next = std::move(waiters_.front());  // the turn passes on: active_ stays the same
      waiters_.pop_front();
    }
    if (next()) return;
  }
}

std::size_t ConnectGate::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

std::size_t ConnectGate::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

}  // namespace docklink::detail
