// Catching the one Reply a callback of the client (publish_event with need_reply, send_request) receives, or the
// TypedReply of a typed request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

#include "docklink/client.hpp"

namespace docklink::test {

/// Collects one reply (a Reply, or a TypedReply) from a callback.
template <class Answer>
struct BasicReplyCatcher {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Answer> reply;

  /// The callback to hand to the client; keeps the reply it is called with.
  std::function<void(const Answer&)> callback() {
    return [this](const Answer& r) {
      std::lock_guard<std::mutex> lock(mutex);
      reply = r;
      cv.notify_all();
    };
  }
  /// Waits up to 5 s for the reply; true once it came.
  bool wait() {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [this] { return reply.has_value(); });
  }
  /// True once the reply came (does not wait).
  bool done() {
    std::lock_guard<std::mutex> lock(mutex);
    return reply.has_value();
  }
};

/// Collects one Reply from a callback.
using ReplyCatcher = BasicReplyCatcher<Reply>;

}  // namespace docklink::test
