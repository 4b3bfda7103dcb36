// The in-flight window: the reason Paho never holds more unacknowledged publishes than the broker accepts
// (more makes Paho C stall in 1 s steps, docs/toolchain-notes.md#p4), nor more QoS 0 ones than its buffer takes.
#include "publish_window.hpp"

#include <utility>

namespace docklink::ports::paho {

namespace {

std::size_t waiting_bytes(const WindowedPublish& publish) { return publish.topic.size() + publish.payload.size(); }

}  // namespace

PublishWindow::PublishWindow(std::size_t max_inflight, std::size_t max_queued, std::size_t max_at_most_once,
                             QueuedBytes* bytes)
    : max_inflight_(max_inflight == 0 ? 1 : max_inflight),
      max_queued_(max_queued),
      max_at_most_once_(max_at_most_once == 0 ? 1 : max_at_most_once),
      bytes_(bytes) {}

PublishWindow::~PublishWindow() {
  if (bytes_ != nullptr) bytes_->remove(queued_bytes_);
}

bool PublishWindow::can_take() const {
  if (queue_.empty()) return false;
  if (queue_.front().qos != port::Qos::kAtMostOnce) return acknowledged_inflight_ < max_inflight_;
  return inflight_.size() - acknowledged_inflight_ < max_at_most_once_;
}

bool PublishWindow::enqueue(std::string topic, std::string payload, port::Qos qos, port::PublishId id) {
  if (queue_.size() >= max_queued_) return false;
  const std::size_t size = topic.size() + payload.size();
  if (bytes_ != nullptr && !bytes_->try_add(size, queued_bytes_)) return false;
  queued_bytes_ += size;
  WindowedPublish entry;
  entry.ticket = next_ticket_++;
  if (next_ticket_ == 0) next_ticket_ = 1;  // 0 never names a publish
  entry.id = id;
  entry.topic = std::move(topic);
  entry.payload = std::move(payload);
  entry.qos = qos;
  try {
    queue_.push_back(std::move(entry));
  } catch (...) {  // bad_alloc: the caller reports it, and the bytes were never queued
    queued_bytes_ -= size;
    if (bytes_ != nullptr) bytes_->remove(size);
    throw;
  }
  return true;
}

std::optional<WindowedPublish> PublishWindow::take_next() {
  if (!can_take()) return std::nullopt;
  WindowedPublish next = std::move(queue_.front());
  queue_.pop_front();
  const std::size_t size = waiting_bytes(next);
  queued_bytes_ -= size;
  if (bytes_ != nullptr) bytes_->remove(size);
  const bool acknowledged = next.qos != port::Qos::kAtMostOnce;
  if (acknowledged) ++acknowledged_inflight_;
  inflight_.emplace(next.ticket, Handed{next.id, acknowledged});
  return next;
}

std::optional<PublishWindow::Completion> PublishWindow::complete(std::uintptr_t ticket) {
  auto found = inflight_.find(ticket);
  if (found == inflight_.end()) return std::nullopt;
  const Handed handed = found->second;
  inflight_.erase(found);
  if (handed.acknowledged) --acknowledged_inflight_;
  return Completion{handed.id, handed.acknowledged};
}

std::vector<port::PublishId> PublishWindow::drain() {
  std::vector<port::PublishId> ids;
  ids.reserve(inflight_.size() + queue_.size());
  for (const auto& entry : inflight_) {
    if (entry.second.acknowledged) ids.push_back(entry.second.id);
  }
  for (const auto& entry : queue_) {
    if (entry.qos != port::Qos::kAtMostOnce) ids.push_back(entry.id);
  }
  inflight_.clear();
  acknowledged_inflight_ = 0;
  queue_.clear();
  if (bytes_ != nullptr) bytes_->remove(queued_bytes_);
  queued_bytes_ = 0;
  return ids;
}

}  // namespace docklink::ports::paho
