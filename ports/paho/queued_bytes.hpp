// A process-wide bound on the bytes of publishes that wait in the Paho transports' FIFOs.
//
// Why: a transport queues what Paho cannot take yet (its in-flight window or the process's command budget is
// full). When a whole fleet in one process outruns Paho (its one receive thread saturated), every connected dock's
// OSD keeps arriving and each FIFO grows without end: measured, 3,000 docks with OSD every 200 ms grew 8 MB/s and
// 20,000 docks reached 2.5 GB. A bound per transport would still grow with the number of docks, so the bound is
// the process's; beyond it publish() says kBusy and the core keeps the message in its own bounded offline queue
// (telemetry coalesced per device).
//
// Fairness: one transport bursting (an application replaying a backlog of events) would otherwise take the whole
// bound and leave every other dock of the process kBusy until it drained. A transport that already holds more
// than its fair share may fill the bound only up to a reserve (an eighth of it), so the docks within their share
// always have that reserve; a lone burst still gets seven eighths (bench_overhead's 50,000 OSD messages of
// 1.5 KB fit, where half the bound coalesced a tenth of them away).
#pragma once

#include <atomic>
#include <cstddef>

namespace docklink::ports::paho {

/// Counts bytes against a capacity; thread-safe and lock-free.
class QueuedBytes {
 public:
  /// At most `capacity` bytes counted at once (0: no bound); a holder past `fair_share` bytes (0: no such limit)
  /// may fill them only up to the reserve, an eighth of `capacity`.
  explicit QueuedBytes(std::size_t capacity, std::size_t fair_share = 0)
      : capacity_(capacity), fair_share_(fair_share) {}

  /// Counts `bytes` for a holder that has `held` counted already and returns true, or returns false (counting
  /// nothing) when they do not fit: past the capacity, or into the reserve once the holder exceeds its fair share.
  bool try_add(std::size_t bytes, std::size_t held = 0);
  /// Gives back `bytes` counted by try_add().
  void remove(std::size_t bytes);
  /// Bytes counted now (for tests and diagnostics).
  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

  /// The one count of this process, sized by defaults::kPahoProcessQueuedBytes and kPahoTransportFairShareBytes.
  static QueuedBytes& process();

 private:
  const std::size_t capacity_;
  const std::size_t fair_share_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace docklink::ports::paho
