// A process-wide bound on the QoS 1/2 publishes that the Paho clients of one process have handed to Paho C and
// not yet seen completed, with the longest-waiting transport served first when a slot frees.
//
// Why: Paho C keeps one command list for the whole process. To give a QoS 1/2 publish its message id it walks that
// list once per candidate id, and ids of different clients collide (each client counts from 1). A fleet of
// thousands of clients in one process therefore pays a walk per publish that grows with the backlog, the backlog
// grows with the walks (they hold Paho's global lock and starve its send thread), and the process collapses:
// measured, 10,000 docks in one process stalled at about 5,000 connected. With the bound, the list holds at most
// that many such publishes and the walks stay short; the rest wait, in order, in each transport's own queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace docklink::ports::paho {

/// One transport's place in the queue for a slot. `granted` runs outside every lock of the budget; it returns
/// false when the transport cannot use the slot (not connected, nothing waiting), which passes it on.
class BudgetWaiter {
 public:
  explicit BudgetWaiter(std::function<bool()> granted) : granted_(std::move(granted)) {}

  /// Offers a slot: true when the transport took it. False after close() or when it declined.
  bool offer();
  /// After it returns, offer() no longer calls the transport and no call of it is still running.
  void close();

 private:
  friend class CommandBudget;
  std::function<bool()> granted_;
  std::mutex mutex_;
  std::condition_variable idle_;
  unsigned running_ = 0;  // offers inside granted_
  bool closed_ = false;
  bool queued_ = false;  // guarded by the budget's mutex
};

/// Counts slots; thread-safe. Its mutex is a leaf: nothing is called while it is held.
class CommandBudget {
 public:
  /// At most `capacity` slots taken at once; 0 means no bound.
  explicit CommandBudget(std::size_t capacity) : capacity_(capacity) {}

  /// Takes a slot and returns true, or returns false and queues `waiter` (once) for the next free slot.
  bool acquire_or_wait(const std::shared_ptr<BudgetWaiter>& waiter);
  /// Gives back `count` slots: each goes to the longest-waiting waiter that takes it, else becomes free.
  void release(std::size_t count = 1);
  /// Slots taken now (for tests and diagnostics).
  std::size_t taken() const;

  /// The one budget of this process, sized by defaults::kPahoProcessInflight.
  static CommandBudget& process();

 private:
  std::shared_ptr<BudgetWaiter> next_waiter();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::size_t taken_ = 0;
  std::deque<std::weak_ptr<BudgetWaiter>> waiters_;
};

}  // namespace docklink::ports::paho
