// The simulation's clock hand: one thread that runs delayed tasks for every dock of the fleet (job steps,
// flight ticks), so service handlers return at once and a fleet of thousands needs no thread per dock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace docklink::sim {

/// Runs tasks after a delay, in due order, on its own thread.
class Scheduler {
 public:
  /// A task. It must be quick: it holds up every other dock's timers.
  using Task = std::function<void()>;

  /// Starts the thread.
  Scheduler();
  /// Stops (see stop()).
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Runs `task` after `delay` (on the scheduler thread). Ignored once stopped.
  void after(std::chrono::milliseconds delay, Task task);
  /// Drops pending tasks and joins the thread; waits for a running task. Idempotent.
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, Task> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace docklink::sim
