// The MQTT transport contract: what the core needs from an MQTT engine (Paho on Linux, the in-memory loopback
// in tests, or a firmware team's own). Modelled on a port contract that states threads, blocking, ownership and
// return values for every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::port {

/// MQTT quality of service.
enum class Qos : std::uint8_t { kAtMostOnce = 0, kAtLeastOnce = 1, kExactlyOnce = 2 };

/// Identifies one publish handed to a transport; reported back in TransportListener::on_publish_done.
using PublishId = std::uint64_t;

/// Receives what happens on a transport.
///
/// Threads: every method may be called on a thread the transport owns (Paho's callback thread) and also from
/// inside a call into the transport (the loopback delivers synchronously). An implementation must therefore only
/// copy or enqueue and return: never block, never call back into the transport, never run user code.
/// Ownership: arguments are only valid during the call.
class DOCKLINK_API TransportListener {
 public:
  virtual ~TransportListener() = default;

  /// A message arrived on a subscribed topic.
  virtual void on_message(std::string_view topic, std::string_view payload) = 0;

  /// The connection came up (status ok) or went down or failed to come up (status says why: kAuth for
  /// refused credentials or failed TLS verification, kIo for network errors, kShutdown after disconnect()).
  /// `session_present` is the broker's flag; the core re-subscribes regardless.
  virtual void on_connection_changed(bool connected, const Status& status, bool session_present) = 0;

  /// A QoS 1/2 publish was acknowledged by the broker (ok) or failed (e.g. kNotConnected when the connection
  /// dropped before the acknowledgement). Called exactly once for every QoS 1/2 publish that publish() accepted.
  /// Never called for QoS 0.
  virtual void on_publish_done(PublishId id, const Status& status) = 0;

  /// The broker refused a subscription that subscribe() had sent (kRejected: e.g. an ACL denies the filter), or
  /// the subscribe failed while the connection stayed up. Not called for requests a disconnect cancelled.
  /// Default: ignored, for listeners that do not subscribe.
  virtual void on_subscribe_failed(std::string_view filter, const Status& status) {
    static_cast<void>(filter);
    static_cast<void>(status);
  }
};

/// An MQTT client connection.
///
/// All methods are thread-safe and non-blocking unless stated otherwise; none throws.
class DOCKLINK_API Transport {
 public:
  virtual ~Transport() = default;

  /// Sets the receiver of messages and state changes. Call once, before connect(). The listener must outlive
  /// the transport or be replaced by nullptr before it dies.
  virtual void set_listener(TransportListener* listener) = 0;

  /// Starts connecting. Returns at once: ok when the attempt started (the outcome arrives through
  /// on_connection_changed), an error when it could not start (kBusy when connecting or connected). Credentials and
  /// options were given at construction. Reconnecting is the core's job: the transport never retries by itself.
  virtual Status connect() = 0;

  /// Closes the connection, waiting at most `timeout` for a clean MQTT DISCONNECT. Blocks. Before it returns, the
  /// listener hears on_connection_changed(false, kShutdown) and the outcome (ok or kNotConnected) of every QoS 1/2
  /// publish not yet reported; after it returns no listener method is called again until the next connect().
  /// Safe to call when not connected (then nothing is reported).
  virtual void disconnect(std::chrono::milliseconds timeout) = 0;

  /// True between a successful on_connection_changed(true) and the next loss or disconnect().
  virtual bool is_connected() const = 0;

  /// Queues a publish. The transport copies topic and payload before returning. Retain is never set.
  /// Returns ok when queued; kNotConnected when offline; kInvalidArgument for a topic that is no valid topic name
  /// (e.g. one with a wildcard); kBusy when the transport's own buffer is full (the core keeps the message and
  /// retries). For QoS 1/2 the outcome is reported once through on_publish_done(id, …); a refused publish is
  /// never reported.
  /// Flow control: a transport must never stall for long on a full broker window; it queues internally.
  virtual Status publish(std::string_view topic, std::string_view payload, Qos qos, PublishId id) = 0;

  /// Subscribes to a topic filter (MQTT wildcards allowed). Returns ok when the request was sent, kNotConnected
  /// when offline; a broker refusal arrives later through TransportListener::on_subscribe_failed. MQTT orders
  /// packets, so a publish made after subscribe() returns is processed by the broker after the subscription.
  virtual Status subscribe(std::string_view filter, Qos qos) = 0;

  /// Subscribes to several filters in one request where the engine can (one SUBSCRIBE, one packet id: every
  /// (re)connect of a fleet then costs the broker and the engine one request per dock instead of one per filter).
  /// Same return semantics as subscribe(); a refusal arrives per filter through
  /// TransportListener::on_subscribe_failed. Default: subscribe() for each filter, trying all of them and returning
  /// the first failure.
  virtual Status subscribe_many(const std::vector<std::string>& filters, Qos qos) {
    Status first;
    for (const std::string& filter : filters) {
      Status status = subscribe(filter, qos);
      if (!status && first) first = status;
    }
    return first;
  }

  /// Removes a subscription. Same return semantics as subscribe().
  virtual Status unsubscribe(std::string_view filter) = 0;
};

}  // namespace docklink::port
