// A process-wide bound on the bytes of publishes that wait in the Paho transports' FIFOs.
//
// Why: a transport queues what Paho cannot take yet (its in-flight window or the process's command budget is
// full). When a whole fleet in one process outruns Paho (its one receive thread saturated), every connected dock's
// OSD keeps arriving and each FIFO grows without end: measured, 3,000 docks with OSD every 200 ms grew 8 MB/s and
// 20,000 docks reached 2.5 GB. A bound per transport would still grow with the number of docks, so the bound is
// the process's; beyond it publish() says kBusy and the core keeps the message in its own bounded offline queue
// (telemetry coalesced per device).
#pragma once

#include <atomic>
#include <cstddef>

namespace docklink::ports::paho {

/// Counts bytes against a capacity; thread-safe and lock-free.
class QueuedBytes {
 public:
  /// At most `capacity` bytes counted at once; 0 means no bound.
  explicit QueuedBytes(std::size_t capacity) : capacity_(capacity) {}

  /// Counts `bytes` and returns true, or returns false (counting nothing) when they do not fit.
  bool try_add(std::size_t bytes);
  /// Gives back `bytes` counted by try_add().
  void remove(std::size_t bytes);
  /// Bytes counted now (for tests and diagnostics).
  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

  /// The one count of this process, sized by defaults::kPahoProcessQueuedBytes.
  static QueuedBytes& process();

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace docklink::ports::paho
