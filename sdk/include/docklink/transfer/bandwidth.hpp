// Bandwidth limits of file transfers: a process-wide limit that every running transfer shares (a token bucket on
// the port clock, changeable at run time: a dock slows its uploads while flying or in DRC), and the pacer one
// transfer uses to honour both that limit and its own (the stricter wins).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"
#include "docklink/transfer/transfer_control.hpp"

namespace docklink::transfer {

/// A token bucket shared by every transfer of a process (downloads and uploads alike). Thread-safe. Transfers
/// take tokens for the bytes they moved and wait while the bucket is in debt, so together they move at most the
/// limit on average. Unused capacity is saved only for defaults::kBandwidthBurstMs, so a transfer that starts
/// after a quiet period exceeds the limit by that much at most.
class DOCKLINK_API BandwidthLimiter {
 public:
  /// A limiter on `clock` (must outlive it) allowing `bytes_per_second` in all (0: no limit).
  explicit BandwidthLimiter(const port::Clock& clock, std::uint64_t bytes_per_second = 0);

  /// Changes the limit at once for every transfer, including those waiting now (they wait in slices of at most
  /// defaults::kBandwidthWaitSliceMs and recompute). 0 removes the limit.
  void set_limit(std::uint64_t bytes_per_second);
  /// The current limit in bytes per second; 0: none.
  std::uint64_t limit() const;
  /// Accounts `bytes` that a transfer just moved (the bucket may go into debt).
  void take(std::uint64_t bytes);
  /// Milliseconds until the bucket is out of debt at the current limit; 0 when transfers may go on now.
  std::int64_t delay_ms();

 private:
  void refill();

  const port::Clock& clock_;
  mutable std::mutex mutex_;
  std::uint64_t bytes_per_second_ = 0;
  // In milli-bytes, so a refill of elapsed_ms * bytes_per_second needs no division and loses nothing to rounding.
  std::int64_t tokens_milli_ = 0;
  std::int64_t last_refill_ms_ = 0;
};

/// Paces one transfer: its own limit (the average since the request or response began) and the shared limiter,
/// whichever asks the longer wait. Used by one thread, the transfer's.
class DOCKLINK_API TransferPacer {
 public:
  /// `own_bytes_per_second` 0: no limit of its own; `shared` null: none shared. `clock`, `waiter` and `shared`
  /// must outlive the pacer.
  TransferPacer(const port::Clock& clock, TransferWaiter& waiter, std::uint64_t own_bytes_per_second,
                BandwidthLimiter* shared);

  /// Starts the own limit's average again (call when a request's body or a response's body begins). The average
  /// runs from the first byte moved after it, so time spent connecting or waiting for the response is not
  /// counted as time in which bytes could have moved (a small file would otherwise pass unpaced).
  void restart();
  /// Accounts `bytes` just moved and waits until they fit both limits, or until `control` requests a stop.
  void moved(std::size_t bytes, TransferControl& control);
  /// The stricter of the two limits now, in bytes per second; 0 when neither limits the transfer.
  std::uint64_t limit() const;
  /// The most bytes worth moving next, of `capacity`: what the stricter limit allows in
  /// defaults::kBandwidthWaitSliceMs (at least 1), so a paced sender moves a little at a time instead of a big
  /// piece followed by a long silence that a server may take for a dead connection. `capacity` when unlimited.
  std::size_t next_piece(std::size_t capacity) const;

 private:
  std::int64_t own_delay_ms() const;

  const port::Clock& clock_;
  TransferWaiter& waiter_;
  std::uint64_t own_bytes_per_second_;
  BandwidthLimiter* shared_;
  std::int64_t start_ms_ = 0;
  bool started_ = false;  // a byte moved since restart(); start_ms_ is when
  std::uint64_t bytes_ = 0;
};

}  // namespace docklink::transfer
