// An in-memory MQTT broker and a port::Transport connected to it: the cloud side of DockLink's unit tests, and a
// fake broker for firmware teams' own tests. Deterministic and synchronous: everything happens on the calling
// thread, before the call returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/ports/topic_filter.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

namespace loopback_detail {
struct Session;
struct CloudSubscriber;
struct PendingAck;
}  // namespace loopback_detail

/// One publish the broker saw, in order.
struct LoopbackPublish {
  std::string sender;   ///< Client id of the publishing transport, or the name given to LoopbackBroker::publish.
  std::string topic;    ///< Topic name.
  std::string payload;  ///< Payload bytes.
  port::Qos qos;        ///< Requested QoS.
};

/// What the broker counted for one client id (over all its connections).
struct LoopbackClientStats {
  std::size_t connect_attempts = 0;  ///< connect() calls, refused ones included.
  std::size_t connects = 0;          ///< Successful connects.
  std::size_t subscribes = 0;        ///< Accepted subscribe() calls (re-subscriptions after reconnect count again).
  std::size_t unsubscribes = 0;      ///< Accepted unsubscribe() calls.
  std::size_t publishes = 0;         ///< Accepted publish() calls.
};

/// Receives messages for a cloud-side subscription: topic and payload are valid during the call only.
using LoopbackCallback = std::function<void(const std::string& topic, const std::string& payload)>;

/// Identifies a cloud-side subscription, for LoopbackBroker::unsubscribe.
using LoopbackSubscriptionId = std::uint64_t;

/// An in-memory MQTT broker.
///
/// Routing: a publish reaches every connected transport with a matching subscription (once per transport, even
/// when several of its filters match; the publisher itself too, as in MQTT) and every matching cloud-side
/// subscriber, synchronously on the publishing thread and in the order of the publishes (cloud subscribers
/// first, then transports). Sessions are clean: a transport's subscriptions end with its connection. Retained
/// messages and will messages are not modelled.
///
/// Threads: every method is thread-safe. The broker's lock is never held while a listener or callback runs, so
/// they may publish again (a cloud callback answering a request) or hand work to threads that call the broker.
/// Each transport's listener calls are serialised, and none happens after that transport's disconnect() returns.
///
/// Lifetime: the broker must outlive its transports and cloud subscriptions' callbacks (unsubscribe first).
class DOCKLINK_API LoopbackBroker {
 public:
  LoopbackBroker();
  ~LoopbackBroker();
  LoopbackBroker(const LoopbackBroker&) = delete;
  LoopbackBroker& operator=(const LoopbackBroker&) = delete;

  // ---- the cloud side, without a Transport -----------------------------------------------------------------

  /// Calls `callback` for every later publish on a topic matching `filter`, on the publishing thread. Returns an
  /// id for unsubscribe(), or 0 when the filter is invalid.
  LoopbackSubscriptionId subscribe(std::string_view filter, LoopbackCallback callback);
  /// Ends a cloud-side subscription; when it returns, the callback is not running on another thread and will not
  /// run again. May be called from inside the callback itself.
  void unsubscribe(LoopbackSubscriptionId id);
  /// Publishes as the cloud: delivers to matching transports and cloud subscribers and records the publish
  /// under `sender`. Returns how many subscribers it reached; 0 (and nothing recorded) for an invalid topic.
  std::size_t publish(std::string_view topic, std::string_view payload, port::Qos qos = port::Qos::kAtLeastOnce,
                      std::string_view sender = "cloud");

  // ---- test hooks ------------------------------------------------------------------------------------------

  /// Drops the connection of every transport connected as `client_id`, as a network failure would: their
  /// subscriptions end, held QoS 1/2 acknowledgements fail with kNotConnected, and each listener gets
  /// on_connection_changed(false, kIo). Returns how many connections were dropped.
  std::size_t drop_connection(std::string_view client_id);
  /// While set, connect() attempts are refused: the listener gets on_connection_changed(false, `status`)
  /// (e.g. kAuth for bad credentials, kIo for an unreachable broker). Connections already up stay up.
  void set_refuse_connections(bool refuse, StatusCode status = StatusCode::kAuth);
  /// While set, subscriptions to exactly `filter` are refused as a broker ACL would: subscribe() returns ok (the
  /// request went out) and then the listener gets on_subscribe_failed(filter, kRejected); no subscription is made.
  void set_refuse_subscriptions(std::string_view filter, bool refuse);
  /// While set, QoS 1/2 publishes are delivered but not acknowledged until release_acks() (or failed with
  /// kNotConnected when their connection ends first). Clearing it does not release acknowledgements held so far.
  void set_hold_acks(bool hold);
  /// Acknowledges (ok) every held QoS 1/2 publish, oldest first. Returns how many.
  std::size_t release_acks();
  /// Number of acknowledgements currently held.
  std::size_t held_acks() const;
  /// The next `count` publish() calls from connected transports fail with `status` (kBusy when given kOk), as
  /// from a transport whose outgoing window is full: nothing is delivered, recorded or counted, and no
  /// on_publish_done follows. Calls made while disconnected or with an invalid topic fail as usual and do not
  /// use up the count. A later call replaces the remaining count; 0 ends the refusals.
  void refuse_publishes(std::size_t count, StatusCode status = StatusCode::kBusy);
  /// How many of the refusals set by refuse_publishes() are still to come.
  std::size_t publishes_to_refuse() const;

  // ---- inspection ------------------------------------------------------------------------------------------

  /// Every accepted publish so far (from transports and the cloud side), in order.
  std::vector<LoopbackPublish> published() const;
  /// The recorded publishes whose topic matches `filter`.
  std::vector<LoopbackPublish> published_matching(std::string_view filter) const;
  /// Forgets the recorded publishes.
  void clear_published();
  /// Counters for `client_id` (all zero for an unknown id).
  LoopbackClientStats stats(std::string_view client_id) const;
  /// Accepted subscribe() calls of `client_id` so far; grows again when the client re-subscribes after a
  /// reconnect. Same as stats(client_id).subscribes.
  std::size_t subscribe_count(std::string_view client_id) const;
  /// The current subscriptions of `client_id`'s connected transports, sorted (empty while disconnected).
  std::vector<std::string> subscriptions(std::string_view client_id) const;
  /// True when a transport is connected as `client_id`.
  bool is_connected(std::string_view client_id) const;

 private:
  friend class LoopbackTransport;
  using SessionPtr = std::shared_ptr<loopback_detail::Session>;
  struct Delivery;

  // Calls from LoopbackTransport, each for its own session.
  Status connect_session(const SessionPtr& session);
  bool disconnect_session(const SessionPtr& session, const Status& reason);
  Status publish_from(const SessionPtr& session, std::string_view topic, std::string_view payload, port::Qos qos,
                      port::PublishId id);
  Status subscribe_session(const SessionPtr& session, std::string_view filter, port::Qos qos);
  Status unsubscribe_session(const SessionPtr& session, std::string_view filter);
  bool session_connected(const SessionPtr& session) const;

  // Helpers; "_locked" ones need mutex_ held.
  void collect_receivers_locked(std::string_view topic, Delivery& delivery) const;
  void deliver(const Delivery& delivery, const std::string& topic, const std::string& payload) const;
  bool complete_ack(const SessionPtr& session, std::uint64_t ack_number);
  std::vector<loopback_detail::PendingAck> take_acks_locked(const loopback_detail::Session* session);
  LoopbackClientStats& stats_locked(const std::string& client_id);

  mutable std::mutex mutex_;
  std::vector<SessionPtr> connected_;
  std::vector<std::shared_ptr<loopback_detail::CloudSubscriber>> cloud_subscribers_;
  std::vector<loopback_detail::PendingAck> pending_acks_;
  std::vector<LoopbackPublish> published_;
  std::map<std::string, LoopbackClientStats, std::less<>> stats_;
  std::set<std::string, std::less<>> refused_filters_;
  bool refuse_connections_ = false;
  StatusCode refuse_status_ = StatusCode::kAuth;
  bool hold_acks_ = false;
  std::size_t publishes_to_refuse_ = 0;
  StatusCode publish_refusal_ = StatusCode::kBusy;
  std::uint64_t next_connection_number_ = 1;
  std::uint64_t next_ack_number_ = 1;
  LoopbackSubscriptionId next_subscription_id_ = 1;
};

/// port::Transport on a LoopbackBroker.
///
/// connect() reports on_connection_changed(true, ok, false) before it returns (or the refusal the broker was
/// told to give); publish() delivers to the subscribers and then, for QoS 1/2, reports on_publish_done before
/// it returns (unless the broker holds acknowledgements); disconnect() fails held acknowledgements with
/// kNotConnected and reports on_connection_changed(false, kShutdown) before it returns. A second transport
/// connecting with the same client id takes the session over, dropping the first (kIo), as MQTT brokers do.
class DOCKLINK_API LoopbackTransport : public port::Transport {
 public:
  /// A disconnected transport that will connect to `broker` as `client_id`. The broker must outlive it.
  LoopbackTransport(LoopbackBroker& broker, std::string client_id);
  /// Disconnects; no listener call happens after the destructor started.
  ~LoopbackTransport() override;
  LoopbackTransport(const LoopbackTransport&) = delete;
  LoopbackTransport& operator=(const LoopbackTransport&) = delete;

  /// Sets the listener; waits for a listener call running on another thread to finish first.
  void set_listener(port::TransportListener* listener) override;
  /// Connects synchronously. kBusy when already connected.
  Status connect() override;
  /// Disconnects synchronously (the timeout is not needed).
  void disconnect(std::chrono::milliseconds timeout) override;
  /// True while connected.
  bool is_connected() const override;
  /// Delivers synchronously. kNotConnected offline, kInvalidArgument for an invalid topic name.
  Status publish(std::string_view topic, std::string_view payload, port::Qos qos, port::PublishId id) override;
  /// Adds (or replaces) a subscription. kNotConnected offline, kInvalidArgument for an invalid filter.
  Status subscribe(std::string_view filter, port::Qos qos) override;
  /// Removes a subscription (a missing one is ok). kNotConnected offline, kInvalidArgument for an invalid filter.
  Status unsubscribe(std::string_view filter) override;

  /// The client id this transport connects as.
  const std::string& client_id() const noexcept;

 private:
  LoopbackBroker& broker_;
  std::shared_ptr<loopback_detail::Session> session_;
};

}  // namespace docklink::ports
