#include "docklink/transfer/bandwidth.hpp"

#include <algorithm>

#include "docklink/config_defaults.hpp"

namespace docklink::transfer {

BandwidthLimiter::BandwidthLimiter(const port::Clock& clock, std::uint64_t bytes_per_second)
    : clock_(clock), bytes_per_second_(bytes_per_second), last_refill_ms_(clock.monotonic_ms()) {}

void BandwidthLimiter::set_limit(std::uint64_t bytes_per_second) {
  std::lock_guard<std::mutex> lock(mutex_);
  refill();  // what accrued at the old limit
  // Leaving "no limit" starts with an empty bucket: no burst saved while nothing was counted.
  if (bytes_per_second_ == 0) tokens_milli_ = 0;
  bytes_per_second_ = bytes_per_second;
  refill();  // caps the saved tokens to the new limit's burst
}

std::uint64_t BandwidthLimiter::limit() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_per_second_;
}

void BandwidthLimiter::take(std::uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (bytes_per_second_ == 0) return;
  refill();
  tokens_milli_ -= static_cast<std::int64_t>(bytes) * 1000;
}

std::int64_t BandwidthLimiter::delay_ms() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (bytes_per_second_ == 0) return 0;
  refill();
  if (tokens_milli_ >= 0) return 0;
  auto rate = static_cast<std::int64_t>(bytes_per_second_);
  return (-tokens_milli_ + rate - 1) / rate;  // rounded up: waiting less would leave the bucket in debt
}

// Adds what the elapsed time earned (a byte per second is a milli-byte per millisecond), capped at the burst.
void BandwidthLimiter::refill() {
  std::int64_t now = clock_.monotonic_ms();
  // Bounded so that elapsed * rate cannot overflow after a long quiet period; the cap applies anyway.
  std::int64_t elapsed = std::min<std::int64_t>(std::max<std::int64_t>(now - last_refill_ms_, 0), 60'000);
  last_refill_ms_ = now;
  if (bytes_per_second_ == 0) return;
  auto rate = static_cast<std::int64_t>(std::min<std::uint64_t>(bytes_per_second_, 1ull << 40));
  tokens_milli_ = std::min(tokens_milli_ + elapsed * rate, rate * defaults::kBandwidthBurstMs);
}

TransferPacer::TransferPacer(const port::Clock& clock, TransferWaiter& waiter, std::uint64_t own_bytes_per_second,
                             BandwidthLimiter* shared)
    : clock_(clock), waiter_(waiter), own_bytes_per_second_(own_bytes_per_second), shared_(shared) {
  restart();
}

void TransferPacer::restart() {
  started_ = false;
  bytes_ = 0;
}

void TransferPacer::moved(std::size_t bytes, TransferControl& control) {
  if (!started_) {
    start_ms_ = clock_.monotonic_ms();
    started_ = true;
  }
  bytes_ += bytes;
  if (shared_ != nullptr) shared_->take(bytes);
  for (;;) {
    if (control.stop_requested()) return;
    std::int64_t own = own_delay_ms();
    std::int64_t shared = shared_ != nullptr ? shared_->delay_ms() : 0;
    if (own <= 0 && shared <= 0) return;
    // The own limit is fixed: wait for it at once. The shared one may change meanwhile: wait in slices.
    std::int64_t wait = own >= shared ? own : std::min(shared, defaults::kBandwidthWaitSliceMs);
    waiter_.wait(wait, control);
  }
}

std::uint64_t TransferPacer::limit() const {
  std::uint64_t shared = shared_ != nullptr ? shared_->limit() : 0;
  std::uint64_t limit = own_bytes_per_second_;
  if (limit == 0 || (shared != 0 && shared < limit)) limit = shared;
  return limit;
}

std::size_t TransferPacer::next_piece(std::size_t capacity) const {
  std::uint64_t limit = this->limit();
  if (limit == 0) return capacity;
  std::uint64_t bounded = std::min<std::uint64_t>(limit, 1ull << 40);  // no overflow below
  std::uint64_t slice = std::max<std::uint64_t>(bounded * defaults::kBandwidthWaitSliceMs / 1000, 1);
  return static_cast<std::size_t>(std::min<std::uint64_t>(capacity, slice));
}

// Holds the body back until the bytes since the start fit the limit: the peer slows down through TCP's flow
// control, and the average stays at the limit whatever the size of the pieces.
std::int64_t TransferPacer::own_delay_ms() const {
  if (own_bytes_per_second_ == 0) return 0;
  std::int64_t due = start_ms_ + static_cast<std::int64_t>(bytes_ * 1000 / own_bytes_per_second_);
  return due - clock_.monotonic_ms();
}

}  // namespace docklink::transfer
