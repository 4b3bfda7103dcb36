// Remembers recent service tids and their replies, so a service re-sent with the same tid and method is answered
// from the cache instead of running twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace docklink::detail {

/// A bounded, time-windowed map (tid, method) -> reply payload. Not thread-safe (the client locks). A tid reused
/// with another method is another command: its cached reply would name the wrong method.
class TidCache {
 public:
  TidCache(std::size_t capacity, std::int64_t window_ms) : capacity_(capacity), window_ms_(window_ms) {}

  /// What is known of a tid.
  enum class Seen { kNew, kInProgress, kAnswered };

  /// Looks a tid and method up (forgetting expired ones). For kAnswered, `reply` receives the cached payload.
  Seen lookup(std::string_view tid, std::string_view method, std::int64_t now_ms, std::string* reply);
  /// Marks a tid and method as being handled now.
  void begin(std::string_view tid, std::string_view method, std::int64_t now_ms);
  /// Stores the reply of a tid and method.
  void complete(std::string_view tid, std::string_view method, std::string reply);

 private:
  struct Entry {
    std::int64_t seen_ms;
    std::optional<std::string> reply;
  };
  void evict(std::int64_t now_ms);
  /// One string for the pair; the tid's length comes first, so no other pair can give the same key.
  static std::string key_of(std::string_view tid, std::string_view method);

  std::size_t capacity_;
  std::int64_t window_ms_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;
};

}  // namespace docklink::detail
