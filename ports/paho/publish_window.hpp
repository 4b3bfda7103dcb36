// Flow control for the Paho transport: one FIFO of waiting publishes (every QoS, so their order holds) plus the
// set handed to Paho and not yet completed. The FIFO's bytes count against the process's bound (queued_bytes.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "docklink/port/transport.hpp"
#include "queued_bytes.hpp"

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

/// Keeps at most `max_inflight` QoS 1/2 publishes and `max_at_most_once` QoS 0 publishes handed out (a QoS 0 one
/// completes once Paho has written it) and the rest waiting in order. Whoever removes an entry
/// (complete() or drain()) owns its single on_publish_done report, which makes "exactly once" structural.
/// Not thread-safe: the transport guards it with its mutex.
class PublishWindow {
 public:
  /// `max_inflight` and `max_at_most_once` of 0 are treated as 1; `max_queued` bounds the waiting FIFO's
  /// publishes and `bytes` (shared by the windows of a process; nullptr: no bound) their topic and payload bytes.
  PublishWindow(std::size_t max_inflight, std::size_t max_queued, std::size_t max_at_most_once = 1000,
                QueuedBytes* bytes = nullptr);
  /// Gives the bytes still waiting back to `bytes`.
  ~PublishWindow();

  PublishWindow(const PublishWindow&) = delete;
  PublishWindow& operator=(const PublishWindow&) = delete;

  /// Appends a publish to the FIFO; false when the FIFO is full or its bytes do not fit.
  bool enqueue(std::string topic, std::string payload, port::Qos qos, port::PublishId id);
  /// The oldest waiting publish, moved into the in-flight set; nullopt when the window is full or nothing waits.
  std::optional<WindowedPublish> take_next();
  /// What complete() found: the publish's id, and whether its outcome is reported (QoS 1/2 only: the transport
  /// contract reports no outcome of a QoS 0 publish).
  struct Completion {
    port::PublishId id;
    bool reported;
  };
  /// Removes an in-flight publish; nullopt when the ticket is unknown (already drained). Either way the caller
  /// owns the publish's slot of the process budget only when a Completion comes back.
  std::optional<Completion> complete(std::uintptr_t ticket);
  /// Removes everything; returns the ids of the QoS 1/2 publishes, in flight first and then waiting, each in the
  /// order it was accepted (QoS 0 ones go without an outcome).
  std::vector<port::PublishId> drain();

  /// True when take_next() would give a publish.
  bool can_take() const;
  /// Publishes handed out and not yet completed.
  std::size_t inflight() const { return inflight_.size(); }
  /// Publishes waiting for a slot.
  std::size_t queued() const { return queue_.size(); }

 private:
  struct Handed {
    port::PublishId id;
    bool acknowledged;  // QoS 1/2: counted against max_inflight_
  };

  std::size_t max_inflight_;
  std::size_t max_queued_;
  std::size_t max_at_most_once_;
  QueuedBytes* bytes_;
  std::size_t queued_bytes_ = 0;  // this window's share of bytes_
  std::size_t acknowledged_inflight_ = 0;
  std::uintptr_t next_ticket_ = 1;
  std::deque<WindowedPublish> queue_;
  std::map<std::uintptr_t, Handed> inflight_;
};

}  // namespace docklink::ports::paho
