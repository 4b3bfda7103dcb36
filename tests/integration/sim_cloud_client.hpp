// The Paho connection both test clouds (TestCloud, DrcCloud) stand on: connect, wait, subscribe, disconnect, and
// waiting for recorded messages.
#pragma once

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/ports/paho_transport.hpp"

namespace simtest {

/// A cloud-side Paho client of the tests. Subclasses record what on_uplink brings under mutex_, notify cv_, and
/// call close() first in their destructor, so that no callback reaches a half-destroyed object.
class CloudClient : public docklink::port::TransportListener {
 public:
  /// Takes the subscription probe (see open()); everything else goes to on_uplink.
  void on_message(std::string_view topic, std::string_view payload) final {
    if (topic == probe_topic_) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        probe_seen_ = true;
      }
      cv_.notify_all();
      return;
    }
    on_uplink(topic, payload);
  }
  /// Every message but the probe, on Paho's thread: record it under mutex_ and notify cv_; never call the transport.
  virtual void on_uplink(std::string_view topic, std::string_view payload) = 0;
  /// True once connected (the constructor of a subclass waits up to 5 s for it).
  bool connected() {
    std::lock_guard<std::mutex> lock(mutex_);
    return connected_;
  }
  void on_connection_changed(bool connected, const docklink::Status&, bool) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      connected_ = connected;
    }
    cv_.notify_all();
  }
  void on_publish_done(docklink::port::PublishId, const docklink::Status&) override {}

 protected:
  /// Connects to `uri` as `client_name`-<pid>, waits up to 5 s for the connection, subscribes to `topics` and
  /// waits up to 5 s until they are in force. A dock started after open() returns cannot publish before the
  /// broker knows the subscriptions (subscribe() only queues the SUBSCRIBE; a dock's first update_topo that
  /// overtook it would only come again after the dock's reply timeout).
  void open(const std::string& uri, const std::string& client_name, const std::vector<std::string>& topics,
            docklink::port::Qos qos) {
    docklink::ports::PahoTransportOptions options;
    options.server_uri = uri;
    options.default_client_id = client_name + "-" + std::to_string(getpid());
    probe_topic_ = "simtest/probe/" + options.default_client_id;
    auto transport = docklink::ports::PahoTransport::create(options);
    if (!transport) return;
    transport_ = std::move(transport).value();
    transport_->set_listener(this);
    if (!transport_->connect()) return;  // connected() stays false: the test checks it
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait_for(lock, std::chrono::seconds(5), [this] { return connected_; });
      if (!connected_) return;
    }
    // A refused subscription shows as the missing probe or message, which the test awaits.
    for (const std::string& topic : topics) static_cast<void>(transport_->subscribe(topic, qos));
    // The broker handles one connection's packets in order: once the probe comes back through its own
    // subscription, every SUBSCRIBE sent before it is in force.
    if (!transport_->subscribe(probe_topic_, docklink::port::Qos::kAtLeastOnce)) return;
    if (!transport_->publish(probe_topic_, "probe", docklink::port::Qos::kAtLeastOnce, 1)) return;
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return probe_seen_; });
  }
  /// Disconnects and stops the callbacks.
  void close() {
    if (!transport_) return;
    transport_->disconnect(std::chrono::milliseconds(1000));
    transport_->set_listener(nullptr);
    transport_.reset();
  }
  /// The entries of `recorded` (guarded by mutex_) matching `pred`, in arrival order, once there are at least
  /// `count` of them or `timeout` passed.
  template <typename Entry, typename Pred>
  std::vector<Entry> wait_matching(const std::vector<Entry>& recorded, Pred pred, std::size_t count,
                                   std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::vector<Entry> found;
    cv_.wait_for(lock, timeout, [&] {
      found.clear();
      for (const Entry& entry : recorded) {
        if (pred(entry)) found.push_back(entry);
      }
      return found.size() >= count;
    });
    return found;
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::unique_ptr<docklink::ports::PahoTransport> transport_;

 private:
  bool connected_ = false;
  std::string probe_topic_;  // written by open() before the subscription that can deliver it
  bool probe_seen_ = false;
};

}  // namespace simtest
