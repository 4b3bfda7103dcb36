// Inbound budget: bounds the inbound messages that wait for a dispatcher thread, in count and in bytes, per client
// (its share) and per process (the cap all shares draw on). The transport thread takes from the budget before it
// copies a message; the copy gives it back when its task has run or was dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace docklink::detail {

/// How much may wait: messages and bytes (topic plus payload).
struct InboundBudgetLimits {
  std::size_t max_messages = 0;
  std::size_t max_bytes = 0;
};

/// A count-and-bytes pool. Thread-safe.
class InboundPool {
 public:
  explicit InboundPool(InboundBudgetLimits limits) : limits_(limits) {}
  /// Takes one message of `bytes`; false (taking nothing) when that would exceed either limit.
  bool try_take(std::size_t bytes);
  /// Gives back what try_take() took.
  void give_back(std::size_t bytes);
  /// Counts a message refused by this pool or by a share drawing on it.
  void note_refused();
  /// Messages refused so far.
  std::uint64_t refused() const;

 private:
  const InboundBudgetLimits limits_;
  mutable std::mutex mutex_;
  std::size_t messages_ = 0;
  std::size_t bytes_ = 0;
  std::uint64_t refused_ = 0;
};

/// Why a message did not fit.
enum class InboundRefusal : std::uint8_t { kNone, kOversized, kClientShare, kProcessCap };

/// Holds what one queued message took from a client's share and the process pool; gives it back when destroyed.
class InboundTicket {
 public:
  InboundTicket() = default;
  InboundTicket(std::shared_ptr<InboundPool> share, std::shared_ptr<InboundPool> process, std::size_t bytes)
      : share_(std::move(share)), process_(std::move(process)), bytes_(bytes) {}
  InboundTicket(InboundTicket&& other) noexcept = default;
  InboundTicket& operator=(InboundTicket&& other) noexcept;
  InboundTicket(const InboundTicket&) = delete;
  InboundTicket& operator=(const InboundTicket&) = delete;
  ~InboundTicket() { release(); }

 private:
  void release();
  std::shared_ptr<InboundPool> share_;
  std::shared_ptr<InboundPool> process_;
  std::size_t bytes_ = 0;
};

/// Takes `bytes` from the client's share first, then from the process pool; on refusal nothing is held and the
/// process pool counts the refusal.
InboundRefusal take_inbound(const std::shared_ptr<InboundPool>& share, const std::shared_ptr<InboundPool>& process,
                            std::size_t bytes, InboundTicket& ticket);

/// An inbound message copied off the transport thread, holding its budget until it is destroyed.
struct QueuedInbound {
  std::string topic;
  std::string payload;
  InboundTicket ticket;
};

/// Lets a warning through at most once per interval and counts what it held back, so that a flood is visible
/// in the log without the log becoming the flood. Not thread-safe: guard it with the owner's lock.
class LogRateLimit {
 public:
  explicit LogRateLimit(std::int64_t interval_ms) : interval_ms_(interval_ms) {}
  /// True when a line may be written now; `held_back` is then how many were suppressed since the last line.
  bool allow(std::int64_t now_ms, std::uint64_t& held_back);

 private:
  const std::int64_t interval_ms_;
  bool ever_ = false;
  std::int64_t last_ms_ = 0;
  std::uint64_t held_back_ = 0;
};

}  // namespace docklink::detail
