// One transport under test with its recording listener, and the steps the transport conformance checks share.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "conformance_listener.hpp"
#include "docklink/port/transport.hpp"
#include "transport_conformance.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// Bound on a clean disconnect; only reached when the broker does not answer.
inline constexpr std::chrono::milliseconds kDisconnectTimeout{2000};

/// A transport made by the factory with its own listener. The listener is declared first: it outlives the
/// transport, as the contract requires.
class ConformanceClient {
 public:
  ConformanceClient(TransportFactory& factory, const std::string& client_id) : transport_(factory.make(client_id)) {
    CHECK_TRUE_TEXT(transport_ != nullptr, "the factory made no transport");
    transport_->set_listener(&listener_);
  }
  ~ConformanceClient() {
    if (transport_) transport_->disconnect(kDisconnectTimeout);
  }
  ConformanceClient(const ConformanceClient&) = delete;
  ConformanceClient& operator=(const ConformanceClient&) = delete;

  /// The transport under test.
  port::Transport& transport() { return *transport_; }
  /// What the transport reported.
  ConformanceListener& listener() { return listener_; }

  /// Connects and waits for the connection to come up; fails the test otherwise.
  void connect() {
    const std::size_t before = listener_.connection_changes().size();
    const Status started = transport_->connect();
    CHECK_TRUE_TEXT(started.is_ok(), started.to_string().c_str());
    CHECK_TRUE_TEXT(listener_.wait_for_connection_changes(before + 1), "no on_connection_changed after connect()");
    const ConnectionChange change = listener_.connection_changes()[before];
    CHECK_TRUE_TEXT(change.connected && change.status.is_ok(), change.status.to_string().c_str());
  }

  /// Subscribes to `filter` and proves the subscription is in force: publishes to `probe_topic` (which the filter
  /// must match) and waits for it to come back. Another client's later publish then reaches this one.
  void subscribe_confirmed(const std::string& filter, const std::string& probe_topic) {
    CHECK_TRUE(transport_->subscribe(filter, port::Qos::kAtLeastOnce).is_ok());
    const std::size_t before = listener_.messages().size();
    CHECK_TRUE(transport_->publish(probe_topic, "probe", port::Qos::kAtMostOnce, 0).is_ok());
    CHECK_TRUE_TEXT(listener_.wait_for_messages(before + 1), "the probe did not come back");
  }

  /// Payloads of the messages received on `topic`, in arrival order.
  std::vector<std::string> payloads_on(const std::string& topic) const {
    std::vector<std::string> payloads;
    for (const ReceivedMessage& message : listener_.messages()) {
      if (message.topic == topic) payloads.push_back(message.payload);
    }
    return payloads;
  }

 private:
  ConformanceListener listener_;
  std::unique_ptr<port::Transport> transport_;
};

/// Fails the test unless `status` has `expected` code.
inline void check_code(StatusCode expected, const Status& status) {
  STRCMP_EQUAL(to_string(expected), to_string(status.code()));
}

}  // namespace docklink::conformance
