// The Paho transport's sender thread (ports/paho/sender_thread.hpp): tasks run in order, on one thread that is
// not the poster's, post() does not wait for a running task, and the thread is shared while held.
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "../../ports/paho/sender_thread.hpp"

#include <CppUTest/TestHarness.h>

using docklink::ports::paho::SenderThread;

namespace {

/// Records which tasks ran, and on which thread.
struct Ran {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> order;
  std::vector<std::thread::id> threads;

  void add(int task) {
    std::lock_guard<std::mutex> lock(mutex);
    order.push_back(task);
    threads.push_back(std::this_thread::get_id());
    changed.notify_all();
  }
  bool wait_for(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] { return order.size() >= count; });
  }
};

}  // namespace

TEST_GROUP(PahoSenderThread) { std::shared_ptr<SenderThread> sender = SenderThread::acquire(); };

TEST(PahoSenderThread, RunsTasksInPostOrderOnOneOtherThread) {
  Ran ran;
  constexpr int kTasks = 1000;
  for (int i = 0; i < kTasks; ++i) sender->post([&ran, i] { ran.add(i); });
  CHECK_TRUE(ran.wait_for(kTasks));
  for (int i = 0; i < kTasks; ++i) LONGS_EQUAL(i, ran.order[static_cast<std::size_t>(i)]);
  for (const auto& id : ran.threads) {
    CHECK_TRUE(id == ran.threads.front());
    CHECK_TRUE(id != std::this_thread::get_id());
  }
}

TEST(PahoSenderThread, PostReturnsWhileATaskIsRunning) {
  std::mutex mutex;
  std::condition_variable changed;
  bool first_started = false;
  bool release_first = false;
  Ran ran;
  sender->post([&] {
    std::unique_lock<std::mutex> lock(mutex);
    first_started = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release_first; });
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return first_started; }));
  }
  sender->post([&ran] { ran.add(1); });  // must not wait for the blocked task
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK_TRUE(ran.order.empty());  // queued behind the running task
    release_first = true;
  }
  changed.notify_all();
  CHECK_TRUE(ran.wait_for(1));
}

TEST(PahoSenderThread, IsSharedWhileHeld) {
  std::shared_ptr<SenderThread> again = SenderThread::acquire();
  CHECK_TRUE(again == sender);
}
