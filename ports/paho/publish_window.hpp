// QoS 1/2 flow control for the Paho transport: a FIFO of waiting publishes plus the set handed to Paho.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "docklink/port/transport.hpp"

namespace docklink::ports::paho {

/// One QoS 1/2 publish accepted by the transport. `ticket` is unique for the transport's lifetime, so a late
/// Paho completion of an abandoned send can never be mistaken for a newer publish with the same PublishId.
struct WindowedPublish {
  std::uintptr_t ticket = 0;
  port::PublishId id = 0;
  std::string topic;
  std::string payload;
  port::Qos qos = port::Qos::kAtLeastOnce;
};

/// Keeps at most `max_inflight` publishes handed out and the rest waiting in order. Whoever removes an entry
/// (complete() or drain()) owns its single on_publish_done report, which makes "exactly once" structural.
/// Not thread-safe: the transport guards it with its mutex.
class PublishWindow {
 public:
  /// `max_inflight` of 0 is treated as 1; `max_queued` bounds the waiting FIFO.
  PublishWindow(std::size_t max_inflight, std::size_t max_queued);

  /// Appends a publish to the FIFO; false when the FIFO is full.
  bool enqueue(std::string topic, std::string payload, port::Qos qos, port::PublishId id);
  /// The oldest waiting publish, moved into the in-flight set; nullopt when the window is full or nothing waits.
  std::optional<WindowedPublish> take_next();
  /// Removes an in-flight publish; its PublishId, or nullopt when the ticket is unknown (already drained).
  std::optional<port::PublishId> complete(std::uintptr_t ticket);
  /// Removes everything, in flight first and then waiting, each in the order it was accepted.
  std::vector<port::PublishId> drain();

  /// Publishes handed out and not yet completed.
  std::size_t inflight() const { return inflight_.size(); }
  /// Publishes waiting for a slot.
  std::size_t queued() const { return queue_.size(); }

 private:
  std::size_t max_inflight_;
  std::size_t max_queued_;
  std::uintptr_t next_ticket_ = 1;
  std::deque<WindowedPublish> queue_;
  std::map<std::uintptr_t, port::PublishId> inflight_;
};

}  // namespace docklink::ports::paho
