// The simulation's clock hand: one thread that runs delayed tasks for every dock of the fleet (job steps,
// flight ticks), so service handlers return at once and a fleet of thousands needs no thread per dock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "docklink/port/log.hpp"
#include "sim_limits.hpp"

namespace docklink::sim {

/// Runs tasks after a delay, in due order, on its own thread.
class Scheduler {
 public:
  /// A task. It must be quick: it holds up every other dock's timers.
  using Task = std::function<void()>;

  /// Starts the thread. At most `capacity` tasks wait at once (see limits::kSchedulerTasksPerDock); refusals
  /// are logged through `log` (may be null), which must outlive the Scheduler.
  explicit Scheduler(std::size_t capacity = limits::kSchedulerDefaultCapacity, port::Log* log = nullptr);
  /// Stops (see stop()).
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Runs `task` after `delay` (on the scheduler thread). False when it will not run: stopped, or full (then
  /// the task is dropped and counted as Refusal::kSchedulerFull).
  bool after(std::chrono::milliseconds delay, Task task);
  /// Tasks waiting now.
  std::size_t pending() const;
  /// Drops pending tasks and joins the thread; waits for a running task. Idempotent.
  void stop();

 private:
  void run();

  const std::size_t capacity_;
  port::Log* const log_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, Task> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace docklink::sim
