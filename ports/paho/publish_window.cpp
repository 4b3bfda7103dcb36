// The in-flight window: the reason Paho never holds more unacknowledged publishes than the broker accepts
// (more makes Paho C stall in 1 s steps, docs/toolchain-notes.md#p4).
#include "publish_window.hpp"

#include <utility>

namespace docklink::ports::paho {

PublishWindow::PublishWindow(std::size_t max_inflight, std::size_t max_queued)
    : max_inflight_(max_inflight == 0 ? 1 : max_inflight), max_queued_(max_queued) {}

bool PublishWindow::enqueue(std::string topic, std::string payload, port::Qos qos, port::PublishId id) {
  if (queue_.size() >= max_queued_) return false;
  WindowedPublish entry;
  entry.ticket = next_ticket_++;
  if (next_ticket_ == 0) next_ticket_ = 1;  // 0 never names a publish
  entry.id = id;
  entry.topic = std::move(topic);
  entry.payload = std::move(payload);
  entry.qos = qos;
  queue_.push_back(std::move(entry));
  return true;
}

std::optional<WindowedPublish> PublishWindow::take_next() {
  if (queue_.empty() || inflight_.size() >= max_inflight_) return std::nullopt;
  WindowedPublish next = std::move(queue_.front());
  queue_.pop_front();
  inflight_.emplace(next.ticket, next.id);
  return next;
}

std::optional<port::PublishId> PublishWindow::complete(std::uintptr_t ticket) {
  auto found = inflight_.find(ticket);
  if (found == inflight_.end()) return std::nullopt;
  port::PublishId id = found->second;
  inflight_.erase(found);
  return id;
}

std::vector<port::PublishId> PublishWindow::drain() {
  std::vector<port::PublishId> ids;
  ids.reserve(inflight_.size() + queue_.size());
  for (const auto& entry : inflight_) ids.push_back(entry.second);
  for (const auto& entry : queue_) ids.push_back(entry.id);
  inflight_.clear();
  queue_.clear();
  return ids;
}

}  // namespace docklink::ports::paho
