// Executor: a pool of dispatcher threads running strands (serial task queues), plus one timer thread that only
// posts tasks to strands at their deadline. Internal to the SDK.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "docklink/port/clock.hpp"
#include "inbound_budget.hpp"

namespace docklink::detail {

class Executor;

/// A serial queue: its tasks run one at a time, in order, on some dispatcher thread.
class Strand : public std::enable_shared_from_this<Strand> {
 public:
  using Task = std::function<void()>;
  explicit Strand(Executor& executor) : executor_(executor) {}

  /// Queues a task. `droppable` tasks (inbound messages) are refused when the process queue is full.
  /// Returns false when refused or when the strand is closed.
  bool post(Task task, bool droppable = false);
  /// Drops queued tasks, refuses new ones and waits for a running task to end. Not from inside the strand.
  void close_and_wait();
  /// True when called from a task of this strand.
  bool running_in_this_thread() const;

 private:
  friend class Executor;
  void run_batch();

  Executor& executor_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Task> tasks_;
  bool scheduled_ = false;
  bool running_ = false;
  bool closed_ = false;
  std::thread::id runner_;
};

/// Identifies a scheduled timer; 0 is never used.
using TimerId = std::uint64_t;

/// The shared threads.
class Executor {
 public:
  /// `capacity` bounds the droppable tasks; it and `inbound_max_bytes` also size the process's inbound budget.
  Executor(port::Clock& clock, unsigned threads, std::size_t capacity,
           std::size_t inbound_max_bytes = static_cast<std::size_t>(-1));
  ~Executor();

  /// A new strand on this executor.
  std::shared_ptr<Strand> make_strand() { return std::make_shared<Strand>(*this); }
  /// Posts `task` to `strand` at monotonic time `due_ms` (or now, if already due). The timer keeps the strand
  /// alive until then.
  TimerId schedule(std::int64_t due_ms, std::weak_ptr<Strand> strand, Strand::Task task);
  /// Cancels a timer that has not fired; harmless when it has.
  void cancel(TimerId id);
  /// Makes the timer thread read the clock again now instead of at the end of its real-time wait: for a clock that
  /// jumps (a test's manual clock calls it after every advance).
  void wake_timers();

  port::Clock& clock() { return clock_; }
  /// Droppable tasks refused plus inbound messages refused by the inbound budget.
  std::uint64_t dropped() const;
  /// The process-wide inbound budget every client's share draws on.
  const std::shared_ptr<InboundPool>& inbound_pool() const { return inbound_pool_; }

 private:
  friend class Strand;
  bool enqueue_ready(std::shared_ptr<Strand> strand, bool counted_against_capacity);
  bool reserve_slot(bool droppable);
  void release_slots(std::size_t count);
  void worker_loop();
  void timer_loop();

  port::Clock& clock_;
  const std::size_t capacity_;
  const std::shared_ptr<InboundPool> inbound_pool_;

  mutable std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::deque<std::shared_ptr<Strand>> ready_;
  std::size_t queued_tasks_ = 0;
  std::uint64_t dropped_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;

  struct Timer {
    std::weak_ptr<Strand> strand;
    Strand::Task task;
  };
  std::mutex timer_mutex_;
  std::condition_variable timer_cv_;
  std::multimap<std::int64_t, TimerId> deadlines_;
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_ = 1;
  bool timer_stopping_ = false;
  std::thread timer_thread_;
};

}  // namespace docklink::detail
