// The offline queue: what waits for a connection, within count/byte/age limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "docklink/client.hpp"
#include "uplink.hpp"

namespace docklink::detail {

/// Holds uplinks while offline. OSD, state and job progress are coalesced by key (only the latest is kept). When
/// a limit is exceeded the oldest message of the lowest priority class goes. Not thread-safe (the client locks).
class OfflineQueue {
 public:
  explicit OfflineQueue(OfflineQueueLimits limits) : limits_(limits) {}

  /// Adds a message. Returns how many older messages with its coalesce key it replaced (0 or 1), appended to
  /// `replaced` when given; messages dropped to respect the limits (possibly `uplink` itself) are appended to
  /// `dropped`. A message whose seq is already queued replaces that entry.
  std::size_t push(Uplink uplink, std::vector<Uplink>& dropped, std::vector<Uplink>* replaced = nullptr);
  /// Drops messages older than the age limit.
  void expire(std::int64_t now_ms, std::vector<Uplink>& dropped);
  /// Removes and returns everything in drain order: by class (replies first), then by creation order.
  std::vector<Uplink> take_all();
  /// Messages queued.
  std::size_t size() const noexcept { return items_.size(); }
  /// Payload bytes queued.
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  using Key = std::pair<std::uint8_t, std::uint64_t>;  // (class, seq): map order is drain order
  Uplink erase(std::map<Key, Uplink>::iterator it);    // keeps bytes_ and the coalesce index right

  OfflineQueueLimits limits_;
  std::map<Key, Uplink> items_;
  std::map<std::string, Key> by_coalesce_key_;
  std::size_t bytes_ = 0;
};

}  // namespace docklink::detail
