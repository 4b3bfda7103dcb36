// The bound on one dock's drc/down messages waiting for the Scheduler (limits::kDrcMaxPendingMessages): a
// message takes a place when it arrives on Paho's thread and gives it back when the Scheduler runs it, so a
// flood is refused at the door instead of growing the Scheduler's queue.
#pragma once

#include <atomic>
#include <cstddef>

#include "sim_limits.hpp"

namespace docklink::sim {

/// Places for waiting drc/down messages. Lock-free; any thread.
class DrcBacklog {
 public:
  /// At most `capacity` messages wait at once.
  explicit DrcBacklog(std::size_t capacity = limits::kDrcMaxPendingMessages) : capacity_(capacity) {}

  /// Takes a place; false, taking nothing, when `capacity` messages already wait.
  bool try_enter() {
    if (pending_.fetch_add(1) < capacity_) return true;
    pending_.fetch_sub(1);
    return false;
  }
  /// Gives back a place taken by try_enter().
  void leave() { pending_.fetch_sub(1); }
  /// Messages waiting now.
  std::size_t pending() const { return pending_.load(); }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> pending_{0};
};

}  // namespace docklink::sim
