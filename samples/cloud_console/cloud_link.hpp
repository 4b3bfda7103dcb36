// The cloud console's MQTT side: one transport subscribed to every dock's uplinks, a worker thread that decodes
// them, and a publish path that builds DJI envelopes. Built on DockLink's public transport port, envelope and
// topic helpers, as a cloud team could.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "docklink/envelope.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/topics.hpp"
#include "mqtt_connection.hpp"
#include "platform_setup.hpp"

namespace docklink::cloud {

/// One decoded uplink.
struct Uplink {
  TopicKind kind;                   ///< Which topic.
  std::string_view sn;              ///< The topic's SN.
  std::string_view topic;           ///< The whole topic.
  std::string_view payload;         ///< The raw payload.
  const InboundEnvelope& envelope;  ///< Decoded envelope.
};

/// Receives every uplink on the worker thread.
using UplinkHandler = std::function<void(const Uplink& uplink)>;

/// The console's connection to the broker.
class CloudLink : public port::TransportListener {
 public:
  /// Ports must outlive the link.
  explicit CloudLink(samples::PlatformSetup& platform);
  ~CloudLink() override;
  CloudLink(const CloudLink&) = delete;
  CloudLink& operator=(const CloudLink&) = delete;

  /// Connects, subscribes to sys/product/+/status and thing/product/+/#, and starts the worker. Waits up to
  /// `timeout` for the connection.
  Status open(const samples::MqttSettings& settings, std::chrono::milliseconds timeout);
  /// Disconnects and joins the worker.
  void close();
  /// Sets the handler of uplinks (replacing the previous one; empty removes it); it runs on the worker thread.
  /// Returns only when no call of the previous handler is running any more, so a handler may capture locals of a
  /// caller that removes it before returning (see ScopedUplinkHandler). Any thread but the worker: a handler must
  /// not call it.
  void on_uplink(UplinkHandler handler);
  /// True once the connection was lost after open().
  bool lost() const { return lost_.load(); }

  /// Publishes a message with a fresh timestamp on topic `kind` of `sn`. Empty tid/bid get fresh UUIDs; the
  /// tid used is returned. Retries internally while the transport is busy. Any thread.
  std::string publish(TopicKind kind, std::string_view sn, std::string_view method, std::string_view data_json,
                      std::string tid = {}, std::string bid = {});
  /// Answers `uplink` on its reply topic (status_reply, events_reply, requests_reply, state_reply), echoing
  /// tid, bid and method.
  void reply(const Uplink& uplink, std::string_view data_json);
  /// A fresh UUID.
  std::string new_id();

  // TransportListener: called on the transport's thread; only queue.
  void on_message(std::string_view topic, std::string_view payload) override;
  void on_connection_changed(bool connected, const Status& status, bool session_present) override;
  void on_publish_done(port::PublishId id, const Status& status) override;

 private:
  void work();
  void flush_outbox();

  samples::PlatformSetup& platform_;
  samples::MqttConnection connection_;
  std::mutex handler_mutex_;  ///< held by the worker while the handler runs, so replacing it waits for the call
  UplinkHandler handler_;
  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, std::string>> inbox_;   ///< (topic, payload)
  std::mutex publish_mutex_;                                ///< orders publishes; never held by transport callbacks
  std::deque<std::pair<std::string, std::string>> outbox_;  ///< publishes the transport refused as busy
  std::atomic<bool> outbox_pending_{false};
  bool stopping_ = false;
  bool connected_ = false;
  Status connect_status_;
  bool connect_answered_ = false;
  std::atomic<bool> lost_{false};
  std::atomic<port::PublishId> next_publish_id_{1};
};

/// Installs an uplink handler for the lifetime of this object and removes it on destruction, waiting for a call
/// still running. A command's handler captures the command's locals by reference; without the removal, an uplink
/// arriving between the command's return and CloudLink::close() would run it on a dead stack frame.
class ScopedUplinkHandler {
 public:
  /// Installs `handler` on `link`, which must outlive this object.
  ScopedUplinkHandler(CloudLink& link, UplinkHandler handler) : link_(link) { link_.on_uplink(std::move(handler)); }
  ~ScopedUplinkHandler() { link_.on_uplink(nullptr); }
  ScopedUplinkHandler(const ScopedUplinkHandler&) = delete;
  ScopedUplinkHandler& operator=(const ScopedUplinkHandler&) = delete;

 private:
  CloudLink& link_;
};

}  // namespace docklink::cloud
