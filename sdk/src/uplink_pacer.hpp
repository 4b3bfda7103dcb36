// Keeping the uplink under a cloud's message-rate limit (IoTDA: 50 messages/s per connection) by holding
// telemetry back, newest report per key, instead of sending it into a refusal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "uplink.hpp"

namespace docklink::detail {

/// A cloud's uplink rate: at most `burst` + `per_second` messages in any second. 0 per second: unlimited.
struct UplinkRate {
  unsigned per_second = 0;  ///< Steady rate.
  unsigned burst = 0;       ///< Messages that may go at once after a quiet spell.
};

/// A token bucket over everything the client sends, and the telemetry it holds back while the bucket is empty.
/// Answers, events and the topology always go (they spend tokens, possibly into debt, which the telemetry then
/// waits out): holding them would risk the cloud's answer deadline. Telemetry (OSD, state) goes only with a
/// token; without one it waits in a slot per coalescing key, where a newer report replaces the older one, so a
/// burst ends as the latest report of each key. Not thread-safe (the client locks).
class UplinkPacer {
 public:
  explicit UplinkPacer(UplinkRate rate);

  /// False when the rate is unlimited (every call below is then a no-op that lets everything through).
  bool limited() const noexcept { return rate_.per_second != 0; }
  /// Accounts for a message that goes regardless (answers, events, topology).
  void spend(std::int64_t now_ms);
  /// True (and a token spent) when telemetry may go now: a token is there and nothing is held before it.
  bool take(std::int64_t now_ms);
  /// Holds telemetry for a later token. True when it replaced a held report with the same key (coalesced).
  bool hold(Uplink uplink);
  /// The held reports that may go now, oldest key first, each with its token spent.
  std::vector<Uplink> release(std::int64_t now_ms);
  /// Reports held.
  std::size_t held() const noexcept { return order_.size(); }
  /// When the next token is there (now or later); meaningful while something is held.
  std::int64_t next_token_ms(std::int64_t now_ms);
  /// Forgets the held reports (they go to the offline queue on a disconnect) and returns them.
  std::vector<Uplink> take_held();

 private:
  void refill(std::int64_t now_ms);

  UplinkRate rate_;
  std::int64_t milli_tokens_;  ///< Tokens × 1000: a token per 1000/per_second ms without rounding drift.
  std::int64_t refilled_ms_ = -1;
  std::unordered_map<std::string, Uplink> slots_;  ///< Held reports by coalescing key.
  std::deque<std::string> order_;                  ///< Keys in the order they were first held.
};

}  // namespace docklink::detail
