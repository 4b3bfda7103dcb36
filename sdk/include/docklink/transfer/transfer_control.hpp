// Stopping a running transfer from another thread (cancel, pause), and how the engine waits (backoff,
// bandwidth pacing) so that a stop request ends a wait at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "docklink/export.hpp"

namespace docklink::transfer {

/// Shared between the thread running a transfer and any thread that wants it stopped. Thread-safe. One control
/// per run: once a stop was requested it stays requested.
class DOCKLINK_API TransferControl {
 public:
  /// Stops the transfer and deletes its partial data and resume record (outcome kCancelled). Wins over pause().
  void cancel() noexcept;
  /// Stops the transfer and keeps its partial data and resume record, so a later run with the same resume key
  /// continues where it stopped (outcome kPaused).
  void pause() noexcept;
  /// True once cancel() or pause() was called.
  bool stop_requested() const noexcept { return stop_.load(); }
  /// True once cancel() was called.
  bool cancelled() const noexcept { return cancelled_.load(); }
  /// The flag an HttpRequest polls (HttpRequest::cancel): true once a stop was requested.
  const std::atomic<bool>& stop_flag() const noexcept { return stop_; }
  /// Waits up to `ms` milliseconds of real time; returns early when a stop is requested.
  void wait_ms(std::int64_t ms);

 private:
  void request_stop() noexcept;

  std::atomic<bool> stop_{false};
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::condition_variable stopped_;
};

/// How the engine waits between attempts and while pacing a bandwidth limit. The default (none given) waits in
/// real time through TransferControl::wait_ms; a test passes one that moves its manual clock instead, so pacing
/// and backoff are checked without waiting.
class DOCKLINK_API TransferWaiter {
 public:
  virtual ~TransferWaiter() = default;
  /// Waits `ms` milliseconds (> 0), or less when `control` requests a stop meanwhile.
  virtual void wait(std::int64_t ms, TransferControl& control) = 0;
};

}  // namespace docklink::transfer
