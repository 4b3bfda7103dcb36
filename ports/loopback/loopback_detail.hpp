// Private state of the loopback broker, shared by its source files.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "docklink/ports/loopback.hpp"

namespace docklink::ports::loopback_detail {

/// One LoopbackTransport's side of the broker.
struct Session {
  explicit Session(std::string id) : client_id(std::move(id)) {}

  const std::string client_id;
  /// Serialises this session's listener calls and connection changes, so that no listener call can run after
  /// disconnect() returned. Recursive so a listener that publishes from inside a callback (which the Transport
  /// contract forbids, but a test might do) does not deadlock. Lock order: callback_mutex, then the broker's.
  std::recursive_mutex callback_mutex;
  /// Guarded by callback_mutex.
  port::TransportListener* listener = nullptr;
  /// Number of the current connection, 0 while disconnected. Written only with callback_mutex AND the broker's
  /// mutex held, so holding either one is enough to read it.
  std::uint64_t connection = 0;
  /// Subscriptions of the current connection; guarded by the broker's mutex.
  std::map<std::string, port::Qos, std::less<>> filters;
};

/// A QoS 1/2 publish whose acknowledgement is not reported yet.
struct PendingAck {
  std::shared_ptr<Session> session;
  port::PublishId id = 0;
  std::uint64_t number = 0;  ///< Broker-wide sequence number, to find it again.
  bool held = false;         ///< Waits for release_acks() rather than its delivery to finish.
};

/// A cloud-side subscription.
struct CloudSubscriber {
  CloudSubscriber(LoopbackSubscriptionId subscription_id, std::string topic_filter, LoopbackCallback function)
      : id(subscription_id), filter(std::move(topic_filter)), callback(std::move(function)) {}

  const LoopbackSubscriptionId id;
  const std::string filter;
  const LoopbackCallback callback;
  /// Lets unsubscribe() wait until calls running on other threads are over.
  std::mutex mutex;
  std::condition_variable idle;
  bool active = true;       ///< Guarded by mutex.
  std::size_t running = 0;  ///< Calls in progress; guarded by mutex.
};

}  // namespace docklink::ports::loopback_detail

namespace docklink::ports {

/// Who receives one publish: sessions (with the connection they were subscribed on) and cloud subscribers.
struct LoopbackBroker::Delivery {
  std::vector<std::pair<std::shared_ptr<loopback_detail::Session>, std::uint64_t>> sessions;
  std::vector<std::shared_ptr<loopback_detail::CloudSubscriber>> cloud;
};

}  // namespace docklink::ports
