// Catching the one Reply a callback of the client (publish_event with need_reply, send_request) receives.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "docklink/client.hpp"

namespace docklink::test {

/// Collects one Reply from a callback.
struct ReplyCatcher {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Reply> reply;

  /// The callback to hand to the client; keeps the Reply it is called with.
  ReplyCallback callback() {
    return [this](const Reply& r) {
      std::lock_guard<std::mutex> lock(mutex);
      reply = r;
      cv.notify_all();
    };
  }
  /// Waits up to 5 s for the Reply; true once it came.
  bool wait() {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [this] { return reply.has_value(); });
  }
  /// True once the Reply came (does not wait).
  bool done() {
    std::lock_guard<std::mutex> lock(mutex);
    return reply.has_value();
  }
};

}  // namespace docklink::test
