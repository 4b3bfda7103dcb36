#include "tid_cache.hpp"

namespace docklink::detail {

void TidCache::evict(std::int64_t now_ms) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    bool expired = it == entries_.end() || now_ms - it->second.seen_ms > window_ms_;
    if (!expired && entries_.size() <= capacity_) break;
    if (it != entries_.end()) entries_.erase(it);
    order_.pop_front();
  }
}

std::string TidCache::key_of(std::string_view tid, std::string_view method) {
  std::string key = std::to_string(tid.size());
  key.append(1, ':').append(tid).append(method);
  return key;
}

TidCache::Seen TidCache::lookup(std::string_view tid, std::string_view method, std::int64_t now_ms,
                                std::string* reply) {
  evict(now_ms);
  auto it = entries_.find(key_of(tid, method));
  if (it == entries_.end()) return Seen::kNew;
  if (!it->second.reply) return Seen::kInProgress;
  if (reply != nullptr) *reply = *it->second.reply;
  return Seen::kAnswered;
}

void TidCache::begin(std::string_view tid, std::string_view method, std::int64_t now_ms) {
  std::string key = key_of(tid, method);
  if (entries_.emplace(key, Entry{now_ms, std::nullopt}).second) order_.push_back(std::move(key));
  evict(now_ms);
}

void TidCache::complete(std::string_view tid, std::string_view method, std::string reply) {
  auto it = entries_.find(key_of(tid, method));
  if (it != entries_.end()) it->second.reply = std::move(reply);
}

}  // namespace docklink::detail
