#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "executor.hpp"
#include "test_clock.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::Executor;

TEST_GROUP(Executor) {
  docklink::test::SteadyClock clock;
  std::mutex mutex;
  std::condition_variable cv;

  template <typename Pred>
  bool wait_for(Pred pred) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), pred);
  }
};

TEST(Executor, StrandRunsTasksInOrderOneAtATime) {
  Executor executor(clock, 2, 1000);
  auto strand = executor.make_strand();
  std::vector<int> order;
  std::atomic<int> running{0};
  bool overlap = false;
  for (int i = 0; i < 100; ++i) {
    strand->post([&, i] {
      if (running.fetch_add(1) != 0) overlap = true;
      {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(i);
      }
      running.fetch_sub(1);
      cv.notify_all();
    });
  }
  CHECK_TRUE(wait_for([&] { return order.size() == 100; }));
  CHECK_FALSE(overlap);
  for (int i = 0; i < 100; ++i) LONGS_EQUAL(i, order[static_cast<std::size_t>(i)]);
}

TEST(Executor, SlowStrandDoesNotBlockAnother) {
  Executor executor(clock, 2, 1000);
  auto slow = executor.make_strand();
  auto fast = executor.make_strand();
  bool release = false;
  bool fast_done = false;
  slow->post([&] {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
  });
  fast->post([&] {
    std::lock_guard<std::mutex> lock(mutex);
    fast_done = true;
    cv.notify_all();
  });
  CHECK_TRUE(wait_for([&] { return fast_done; }));
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  cv.notify_all();
}

TEST(Executor, TimerPostsAtDeadlineAndCancelPreventsIt) {
  Executor executor(clock, 1, 1000);
  auto strand = executor.make_strand();
  std::vector<int> fired;
  auto start = clock.monotonic_ms();
  auto cancelled = executor.schedule(start + 20, strand, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    fired.push_back(1);
  });
  executor.schedule(start + 40, strand, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    fired.push_back(2);
    cv.notify_all();
  });
  executor.cancel(cancelled);
  CHECK_TRUE(wait_for([&] { return !fired.empty(); }));
  LONGS_EQUAL(1, fired.size());
  LONGS_EQUAL(2, fired[0]);
  CHECK(clock.monotonic_ms() - start >= 40);
}

TEST(Executor, DroppableTasksAreRefusedWhenFull) {
  Executor executor(clock, 1, 2);
  auto blocker = executor.make_strand();
  auto strand = executor.make_strand();
  bool release = false;
  bool started = false;
  blocker->post([&] {
    std::unique_lock<std::mutex> lock(mutex);
    started = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
  });
  CHECK_TRUE(wait_for([&] { return started; }));
  CHECK_TRUE(strand->post([] {}, true));
  CHECK_TRUE(strand->post([] {}, true));
  CHECK_FALSE(strand->post([] {}, true));
  CHECK_TRUE(strand->post([] {}, false));  // internal tasks are never refused
  LONGS_EQUAL(1, executor.dropped());
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  cv.notify_all();
}

TEST(Executor, CloseDropsQueuedTasks) {
  Executor executor(clock, 1, 1000);
  auto strand = executor.make_strand();
  strand->close_and_wait();
  CHECK_FALSE(strand->post([] {}));
}

TEST(Executor, TimerWaitWakesWhenAManualClockMoves) {
  docklink::test::ManualClock manual;
  Executor executor(manual, 1, 1000);
  manual.on_advance([&] { executor.wake_timers(); });
  auto strand = executor.make_strand();
  const std::int64_t hour = 3600 * 1000;
  bool fired = false;
  bool marker = false;
  executor.schedule(manual.monotonic_ms() + hour, strand, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    fired = true;
    cv.notify_all();
  });
  manual.advance(hour - 1);
  // A marker due now runs after every timer due by now on the same strand: the hour's timer is not among them.
  executor.schedule(manual.monotonic_ms(), strand, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    marker = true;
    cv.notify_all();
  });
  CHECK_TRUE(wait_for([&] { return marker; }));
  CHECK_FALSE(fired);
  // The timer thread is waiting (in real time) for the rest of the hour: the advance wakes it.
  manual.advance(1);
  CHECK_TRUE(wait_for([&] { return fired; }));
}
