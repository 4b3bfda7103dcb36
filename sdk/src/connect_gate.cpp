#include "connect_gate.hpp"

#include <algorithm>
#include <utility>

namespace docklink::detail {

namespace {

std::size_t clamp_limit(const ConnectPacing& pacing, std::size_t value) {
  return std::max(pacing.floor, std::min(pacing.max, value));
}

}  // namespace

ConnectGate::ConnectGate(const ConnectPacing& pacing, const port::Clock& clock)
    : pacing_(pacing), clock_(clock), limit_(clamp_limit(pacing, pacing.initial)) {}

// Through the queue even when a turn is free, so that a request never overtakes an earlier one.
void ConnectGate::enter(Offer offer) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    waiters_.push_back(std::move(offer));
  }
  admit_waiters();
}

void ConnectGate::leave(TurnOutcome outcome, std::int64_t started_ms) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    adapt_locked(outcome, started_ms);
    if (active_ > 0) --active_;
  }
  admit_waiters();
}

// Quick answers open the gate by one each; a failure or a slow answer halves it, once for all the attempts
// that were already under way when it did (they saw the same congestion).
void ConnectGate::adapt_locked(TurnOutcome outcome, std::int64_t started_ms) {
  if (pacing_.max == 0 || outcome == TurnOutcome::kNone) return;
  const std::int64_t now = clock_.monotonic_ms();
  const bool quick = outcome == TurnOutcome::kConnected && now - started_ms <= pacing_.latency_target_ms;
  if (quick) {
    limit_ = clamp_limit(pacing_, limit_ + 1);
  } else if (started_ms >= last_halving_ms_) {
    limit_ = clamp_limit(pacing_, limit_ / 2);
    last_halving_ms_ = now;
  }
}

void ConnectGate::admit_waiters() {
  for (;;) {
    Offer next;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (waiters_.empty() || !has_room_locked()) return;
      next = std::move(waiters_.front());
      waiters_.pop_front();
      ++active_;
    }
    if (next()) continue;
    std::lock_guard<std::mutex> lock(mutex_);  // declined: the turn is free again for the next waiter
    if (active_ > 0) --active_;
  }
}

std::int64_t ConnectGate::now_ms() const { return clock_.monotonic_ms(); }

std::size_t ConnectGate::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

std::size_t ConnectGate::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

std::size_t ConnectGate::limit() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return limit_;
}

}  // namespace docklink::detail
