#include "offline_queue.hpp"

namespace docklink::detail {

Uplink OfflineQueue::erase(std::map<Key, Uplink>::iterator it) {
  Uplink removed = std::move(it->second);
  items_.erase(it);
  bytes_ -= removed.payload.size();
  if (!removed.coalesce_key.empty()) by_coalesce_key_.erase(removed.coalesce_key);
  return removed;
}

std::size_t OfflineQueue::push(Uplink uplink, std::vector<Uplink>& dropped, std::vector<Uplink>* replaced) {
  std::size_t replaced_count = 0;
  if (!uplink.coalesce_key.empty()) {
    auto existing = by_coalesce_key_.find(uplink.coalesce_key);
    if (existing != by_coalesce_key_.end()) {
      Uplink old = erase(items_.find(existing->second));
      if (replaced != nullptr) replaced->push_back(std::move(old));
      replaced_count = 1;
    }
  }
  Key key{static_cast<std::uint8_t>(uplink.cls), uplink.seq};
  // The same message again (a seq already held) replaces itself; adding its bytes twice would skew the limit.
  auto same = items_.find(key);
  if (same != items_.end()) erase(same);
  bytes_ += uplink.payload.size();
  if (!uplink.coalesce_key.empty()) by_coalesce_key_[uplink.coalesce_key] = key;
  items_.emplace(key, std::move(uplink));

  // Over a limit: drop the oldest message of the lowest-priority (highest) class present.
  while (!items_.empty() && (items_.size() > limits_.max_messages || bytes_ > limits_.max_bytes)) {
    auto last_class = static_cast<std::uint8_t>(std::prev(items_.end())->first.first);
    auto victim = items_.lower_bound(Key{last_class, 0});
    dropped.push_back(erase(victim));
  }
  return replaced_count;
}

void OfflineQueue::expire(std::int64_t now_ms, std::vector<Uplink>& dropped) {
  for (auto it = items_.begin(); it != items_.end();) {
    auto next = std::next(it);
    if (now_ms - it->second.created_ms > limits_.max_age_ms) {
      dropped.push_back(erase(it));
    }
    it = next;
  }
}

std::vector<Uplink> OfflineQueue::take_all() {
  std::vector<Uplink> out;
  out.reserve(items_.size());
  for (auto& item : items_) out.push_back(std::move(item.second));
  items_.clear();
  by_coalesce_key_.clear();
  bytes_ = 0;
  return out;
}

}  // namespace docklink::detail
