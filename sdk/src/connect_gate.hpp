// ConnectGate: how many clients of one Runtime may be connecting (CONNECT sent, no CONNACK or failure yet) at once.
// A fleet started together would otherwise open thousands of TCP+TLS+MQTT handshakes in the same second; the broker
// and the transport thread then fall behind, attempts pass their connect timeout, and every retry adds to the storm.
// With a gate the storm becomes a queue that drains as fast as the broker answers.
//
// How many at once is not known in advance (a local broker on an idle machine takes thousands; a remote one behind
// a slow link, or a loaded 2-core board, far fewer), so the limit adapts to what the attempts show, like TCP's
// congestion window: an attempt answered within the latency target raises the limit by one (so a window of quick
// answers doubles it), one that failed or took longer halves it, once per window (attempts that began before the
// last halving do not halve it again).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

#include "docklink/port/clock.hpp"

namespace docklink::detail {

/// The limits an adaptive gate moves between. With `initial == floor == max` the limit is fixed.
struct ConnectPacing {
  std::size_t max = 0;                 ///< Upper bound of the limit; 0: no limit at all (no adapting either).
  std::size_t initial = 0;             ///< The limit at start (clamped into floor..max).
  std::size_t floor = 1;               ///< The limit never halves below this.
  std::int64_t latency_target_ms = 0;  ///< An attempt answered later than this counts as slow.
};

/// How one turn ended, as the gate adapts to it.
enum class TurnOutcome : std::uint8_t {
  kNone,       ///< No answer to learn from (the client stopped, or the attempt failed to start).
  kConnected,  ///< The broker accepted the connect.
  kFailed,     ///< The attempt failed (refused, timed out, network error).
};

/// A counting gate with a FIFO of waiters. Thread-safe. Turns are handed out in request order.
class ConnectGate {
 public:
  /// A limit adapting within `pacing` (`pacing.max` 0: no limit, every enter() gets its turn at once); `clock`
  /// (not owned, outlives the gate) times the turns.
  ConnectGate(const ConnectPacing& pacing, const port::Clock& clock);

  /// Offered a turn: returns true to take it (and then calls leave() exactly once, when its attempt has ended),
  /// false to decline (a client that went away meanwhile); a declined turn passes to the next waiter.
  using Offer = std::function<bool()>;

  /// Asks for a turn. `offer` runs once: now, on this thread, when a turn is free; otherwise on the thread of the
  /// leave() that frees one. It runs outside the gate's lock and must be short (post the work, do not do it).
  void enter(Offer offer);

  /// Ends a turn that began at `started_ms` (now_ms() when it was granted) with `outcome`, adapts the limit, and
  /// offers free turns to the waiters in order until they are taken. A loop, not a recursion: a long queue of
  /// declining waiters cannot grow the stack.
  void leave(TurnOutcome outcome = TurnOutcome::kNone, std::int64_t started_ms = 0);

  /// The gate's clock: when a turn is granted.
  std::int64_t now_ms() const;
  /// Turns held now.
  std::size_t active() const;
  /// Requests waiting for a turn.
  std::size_t waiting() const;
  /// The current limit (0: none).
  std::size_t limit() const;

 private:
  bool has_room_locked() const { return pacing_.max == 0 || active_ < limit_; }
  void adapt_locked(TurnOutcome outcome, std::int64_t started_ms);
  void admit_waiters();

  const ConnectPacing pacing_;
  const port::Clock& clock_;
  mutable std::mutex mutex_;
  std::size_t limit_;
  std::size_t active_ = 0;
  std::int64_t last_halving_ms_ = -1;  // turns that began before it do not halve the limit again
  std::deque<Offer> waiters_;
};

/// A turn held by a connect attempt: leaves its gate when the last copy goes (so a task dropped unrun by a
/// closing strand still frees it), unless disowned; tells the gate how the attempt ended when it is known.
class ConnectTurn {
 public:
  /// Holds a turn `gate` has granted just now.
  explicit ConnectTurn(ConnectGate& gate) : gate_(&gate), started_ms_(gate.now_ms()) {}
  ~ConnectTurn() {
    if (gate_ != nullptr) gate_->leave(outcome_, started_ms_);
  }
  ConnectTurn(const ConnectTurn&) = delete;
  ConnectTurn& operator=(const ConnectTurn&) = delete;

  /// The attempt's answer, for the gate to adapt to when the turn ends.
  void set_outcome(TurnOutcome outcome) noexcept { outcome_ = outcome; }
  /// The turn was declined after all: going away does not leave the gate.
  void disown() noexcept { gate_ = nullptr; }

 private:
  ConnectGate* gate_;
  std::int64_t started_ms_;
  TurnOutcome outcome_ = TurnOutcome::kNone;
};

}  // namespace docklink::detail
