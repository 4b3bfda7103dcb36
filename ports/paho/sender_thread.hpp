// One process-wide thread that hands waiting QoS 1/2 publishes to Paho when PUBACKs free window slots.
//
// Why: Paho C delivers every PUBACK (and every inbound message) of every client in the process on ONE receive
// thread. Sending the next publish from that callback (copying the payload, making Paho's token and command)
// keeps that thread from reading sockets; a burst then runs at the speed of one thread doing both jobs. Here
// the receive thread only frees the slot and posts; this thread sends, in parallel with the reading.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace docklink::ports::paho {

/// A single worker thread with a FIFO of tasks, shared by every PahoTransport of the process: it starts with
/// the first acquire() and ends when the last holder lets go (like Paho's own threads, which end with the last
/// client). Tasks must not block and must not call user code: they send publishes.
class SenderThread {
 public:
  /// The process's sender thread, started if no one holds it.
  static std::shared_ptr<SenderThread> acquire();

  /// Stops the thread after the tasks already posted (none are left when every transport is idle) and joins it.
  ~SenderThread();
  SenderThread(const SenderThread&) = delete;
  SenderThread& operator=(const SenderThread&) = delete;

  /// Queues `task` to run on the sender thread, after every task posted before it. Never blocks.
  void post(std::function<void()> task);

 private:
  SenderThread();
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool idle_ = false;  // the thread waits on wake_: only then does post() need to signal it
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace docklink::ports::paho
