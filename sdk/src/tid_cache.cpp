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

TidCache::Seen TidCache::lookup(const std::string& tid, std::int64_t now_ms, std::string* reply) {
  evict(now_ms);
  auto it = entries_.find(tid);
  if (it == entries_.end()) return Seen::kNew;
  if (!it->second.reply) return Seen::kInProgress;
  if (reply != nullptr) *reply = *it->second.reply;
  return Seen::kAnswered;
}

void TidCache::begin(const std::string& tid, std::int64_t now_ms) {
  if (entries_.emplace(tid, Entry{now_ms, std::nullopt}).second) order_.push_back(tid);
  evict(now_ms);
}

void TidCache::complete(const std::string& tid, std::string reply) {
  auto it = entries_.find(tid);
  if (it != entries_.end()) it->second.reply = std::move(reply);
}

}  // namespace docklink::detail
