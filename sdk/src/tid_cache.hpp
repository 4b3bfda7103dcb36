// Remembers recent service tids and their replies, so a service re-sent with the same tid is answered from the
// cache instead of running twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace docklink::detail {

/// A bounded, time-windowed map tid -> reply payload. Not thread-safe (the client locks).
class TidCache {
 public:
  TidCache(std::size_t capacity, std::int64_t window_ms) : capacity_(capacity), window_ms_(window_ms) {}

  /// What is known of a tid.
  enum class Seen { kNew, kInProgress, kAnswered };

  /// Looks a tid up (forgetting expired ones). For kAnswered, `reply` receives the cached payload.
  Seen lookup(const std::string& tid, std::int64_t now_ms, std::string* reply);
  /// Marks a tid as being handled now.
  void begin(const std::string& tid, std::int64_t now_ms);
  /// Stores the reply of a tid.
  void complete(const std::string& tid, std::string reply);

 private:
  struct Entry {
    std::int64_t seen_ms;
    std::optional<std::string> reply;
  };
  void evict(std::int64_t now_ms);

  std::size_t capacity_;
  std::int64_t window_ms_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;
};

}  // namespace docklink::detail
