// ConnectGate: how many clients of one Runtime may be connecting (CONNECT sent, no CONNACK or failure yet) at once.
// A fleet started together would otherwise open thousands of TCP+TLS+MQTT handshakes in the same second; the broker
// and the transport thread then fall behind, attempts pass their connect timeout, and every retry adds to the storm.
// With a gate the storm becomes a queue that drains as fast as the broker answers.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace docklink::detail {

/// A counting gate with a FIFO of waiters. Thread-safe. Turns are handed out in request order.
class ConnectGate {
 public:
  /// `max_active` turns at once; 0 means no limit (every enter() gets its turn at once).
  explicit ConnectGate(std::size_t max_active) : max_active_(max_active) {}

  /// Offered a turn: returns true to take it (and then calls leave() exactly once, when its attempt has ended),
  /// false to decline (a client that went away meanwhile); a declined turn passes to the next waiter.
  using Offer = std::function<bool()>;

  /// Asks for a turn. `offer` runs once: now, on this thread, when a turn is free; otherwise on the thread of the
  /// leave() that frees one. It runs outside the gate's lock and must be short (post the work, do not do it).
  void enter(Offer offer);

  /// Ends a turn; offers it to the waiters in order until one takes it. A loop, not a recursion: a long queue of
  /// declining waiters cannot grow the stack.
  void leave();

  /// Turns held now.
  std::size_t active() const;
  /// Requests waiting for a turn.
  std::size_t waiting() const;

 private:
  const std::size_t max_active_;
  mutable std::mutex mutex_;
  std::size_t active_ = 0;
  std::deque<Offer> waiters_;
};

/// A turn held by a connect attempt: leaves its gate when the last copy goes (so a task dropped unrun by a
/// closing strand still frees it), unless disowned.
class ConnectTurn {
 public:
  /// Holds a turn `gate` has granted.
  explicit ConnectTurn(ConnectGate& gate) : gate_(&gate) {}
  ~ConnectTurn() {
    if (gate_ != nullptr) gate_->leave();
  }
  ConnectTurn(const ConnectTurn&) = delete;
  ConnectTurn& operator=(const ConnectTurn&) = delete;

  /// The turn was declined after all: going away does not leave the gate.
  void disown() noexcept { gate_ = nullptr; }

 private:
  ConnectGate* gate_;
};

}  // namespace docklink::detail
