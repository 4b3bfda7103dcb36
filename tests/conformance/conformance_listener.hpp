// A TransportListener for the transport conformance suite: it records every call and lets a test wait until
// enough have arrived, so that one test runs unchanged against a synchronous transport (the loopback calls back
// before returning) and an asynchronous one (Paho calls back on its own threads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/transport.hpp"
#include "docklink/status.hpp"

namespace docklink::conformance {

/// How long a test waits for an event; only reached when the transport is broken (never a speed bound).
inline constexpr std::chrono::seconds kEventWait{10};

/// One on_connection_changed call.
struct ConnectionChange {
  bool connected = false;  ///< Up or down.
  Status status;           ///< Why.
};

/// One on_publish_done call.
struct PublishOutcome {
  port::PublishId id = 0;  ///< The id given to publish().
  Status status;           ///< Acknowledged (ok) or failed.
};

/// One on_message call.
struct ReceivedMessage {
  std::string topic;    ///< Topic name.
  std::string payload;  ///< Payload bytes.
};

/// Records every listener call; the wait_for_* methods block until enough arrived (false after kEventWait).
class ConformanceListener : public port::TransportListener {
 public:
  void on_message(std::string_view topic, std::string_view payload) override {
    record([&] { messages_.push_back({std::string(topic), std::string(payload)}); });
  }
  void on_connection_changed(bool connected, const Status& status, bool) override {
    record([&] { connections_.push_back({connected, status}); });
  }
  void on_publish_done(port::PublishId id, const Status& status) override {
    record([&] { outcomes_.push_back({id, status}); });
  }
  void on_subscribe_failed(std::string_view filter, const Status&) override {
    record([&] { failed_filters_.emplace_back(filter); });
  }

  /// Waits until at least `count` connection changes arrived.
  bool wait_for_connection_changes(std::size_t count) {
    return wait_until([&] { return connections_.size() >= count; });
  }
  /// Waits until at least `count` publish outcomes arrived.
  bool wait_for_outcomes(std::size_t count) {
    return wait_until([&] { return outcomes_.size() >= count; });
  }
  /// Waits until at least `count` messages arrived.
  bool wait_for_messages(std::size_t count) {
    return wait_until([&] { return messages_.size() >= count; });
  }

  /// The connection changes so far.
  std::vector<ConnectionChange> connection_changes() const { return copy(connections_); }
  /// The publish outcomes so far.
  std::vector<PublishOutcome> outcomes() const { return copy(outcomes_); }
  /// The messages so far.
  std::vector<ReceivedMessage> messages() const { return copy(messages_); }
  /// The filters reported through on_subscribe_failed so far.
  std::vector<std::string> failed_filters() const { return copy(failed_filters_); }
  /// How often each publish id was reported.
  std::map<port::PublishId, int> outcome_counts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::map<port::PublishId, int> counts;
    for (const PublishOutcome& outcome : outcomes_) ++counts[outcome.id];
    return counts;
  }
  /// Every listener call so far, of any kind.
  std::size_t call_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return connections_.size() + outcomes_.size() + messages_.size() + failed_filters_.size();
  }

 private:
  template <typename Change>
  void record(Change change) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      change();
    }
    changed_.notify_all();
  }
  template <typename Done>
  bool wait_until(Done done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kEventWait, done);
  }
  template <typename Item>
  std::vector<Item> copy(const std::vector<Item>& items) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return items;
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ConnectionChange> connections_;
  std::vector<PublishOutcome> outcomes_;
  std::vector<ReceivedMessage> messages_;
  std::vector<std::string> failed_filters_;
};

}  // namespace docklink::conformance
