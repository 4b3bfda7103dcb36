// A dock Client on a real mosquitto, and a minimal cloud beside it on its own Paho connection: the common setup
// of the client's broker integration tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

namespace docklink::test {

/// The cloud: subscribes to every uplink of every dock, answers update_topo and events with need_reply, records
/// everything, and reconnects when asked (after a broker restart).
class BrokerCloud : public port::TransportListener {
 public:
  /// `persistent_session`: the broker keeps the cloud's subscriptions and queues its messages while it is away
  /// (with a `persistence true` broker, also across a restart).
  BrokerCloud(const std::string& uri, ports::MqttVersion version, bool persistent_session = false);
  ~BrokerCloud() override;

  /// Connects and subscribes; true when connected within 10 s.
  bool connect();
  /// Publishes a downlink (QoS 1).
  void publish(const std::string& topic, const std::string& payload);
  /// Waits until `count` uplinks on topics ending in `suffix` arrived.
  bool wait_count(const std::string& suffix, std::size_t count, std::chrono::milliseconds timeout);
  /// (topic, payload) of every uplink so far.
  std::vector<std::pair<std::string, std::string>> received();
  /// Method of every uplink on topics ending in `suffix`, in arrival order.
  std::vector<std::string> methods(const std::string& suffix);
  /// Whether to answer events with need_reply (default true).
  void set_answer_events(bool on);

  void on_message(std::string_view topic, std::string_view payload) override;
  void on_connection_changed(bool connected, const Status& status, bool session_present) override;
  void on_publish_done(port::PublishId, const Status&) override {}

 private:
  std::unique_ptr<ports::PahoTransport> transport_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  bool answer_events_ = true;
  std::vector<std::pair<std::string, std::string>> received_;
  std::vector<std::pair<std::string, std::string>> to_send_;
};

/// Options of the dock used by the broker tests (short timeouts, fast backoff).
ClientOptions broker_dock_options(const std::string& sn);

/// A dock on a real broker.
struct BrokerDock {
  SteadyClock clock;
  SeededRandom random;
  RecordingLog log;
  Runtime runtime{clock};
  std::unique_ptr<ports::PahoTransport> transport;
  std::unique_ptr<Client> client;

  BrokerDock(const std::string& uri, ports::MqttVersion version, ClientOptions options, port::Store* store = nullptr);
  ~BrokerDock();
};

}  // namespace docklink::test
