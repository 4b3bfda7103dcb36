// PahoTransport's implementation, shared by the paho_*.cpp files of this directory.
//
// Locking: `mutex_` guards the state below and is never held while calling into Paho or the listener (the
// listener may take the core's locks, and the core calls publish() while holding them). `lifecycle_mutex_`
// serialises connect(), disconnect() and destruction, the only places that create or destroy the Paho client.
// Every use of the client or the listener outside those is counted in `busy_`; the lifecycle code waits for it
// to reach zero before destroying the client or returning from disconnect()/set_listener().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <mqtt/async_client.h>

#include "command_budget.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "publish_window.hpp"
#include "server_uri.hpp"

namespace docklink::ports {

/// Forwards one kind of Paho completion to the transport.
class PahoActionForwarder final : public mqtt::iaction_listener {
 public:
  /// Which completion this forwarder handles.
  enum class Kind : std::uint8_t { kConnect, kPublish, kSubscribe, kUnsubscribe };
  /// Forwards to `impl`, which must outlive every Paho token that names this forwarder.
  PahoActionForwarder(PahoTransport::Impl& impl, Kind kind) : impl_(impl), kind_(kind) {}
  void on_success(const mqtt::token& token) override;
  void on_failure(const mqtt::token& token) override;

 private:
  PahoTransport::Impl& impl_;
  Kind kind_;
};

/// See paho_transport.hpp; this class does the work.
class PahoTransport::Impl {
 public:
  Impl(PahoTransportOptions options, paho::ServerUri uri);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void set_listener(port::TransportListener* listener);
  Status connect();
  void disconnect(std::chrono::milliseconds timeout);
  bool is_connected() const;
  Status publish(std::string_view topic, std::string_view payload, port::Qos qos, port::PublishId id);
  Status subscribe(std::string_view filter, port::Qos qos);
  Status subscribe_many(const std::vector<std::string>& filters, port::Qos qos);
  Status unsubscribe(std::string_view filter);

  // Paho's callback thread lands here (through PahoActionForwarder and the client's handlers).
  void on_connect_success(std::uintptr_t epoch, bool session_present);
  void on_connect_failure(std::uintptr_t epoch, int return_code, int reason_code);
  void on_connection_lost(const std::string& cause);
  void on_message(const mqtt::message& message);
  void on_publish_result(std::uintptr_t ticket, int return_code, int reason_code);
  void on_subscription_result(const mqtt::token& token, bool success, bool subscribe);
  void report_refused_subscriptions(const std::vector<std::string>& refused);

 private:
  enum class State : std::uint8_t { kIdle, kConnecting, kConnected, kDisconnecting };
  struct PublishOutcome {
    port::PublishId id;
    Status status;
  };

  // Logging; nothing secret is ever passed in. The parts are joined only when the level is enabled, and call
  // sites carry no string building of their own.
  void log(port::LogLevel level, std::initializer_list<std::string_view> parts) const;
  void log(port::LogLevel level, std::string_view message) const { log(level, {message}); }
  // Ends this attempt's TLS trace watch if it holds one (caller holds mutex_).
  void end_connect_watch_locked();

  // Lifecycle helpers (caller holds lifecycle_mutex_).
  Result<port::Credentials> fetch_credentials() const;
  Status ensure_client(const std::string& client_id);
  void destroy_client();
  mqtt::connect_options make_connect_options(const port::Credentials& credentials);

  // Sends waiting QoS 1/2 publishes while the window has room; at most one thread pumps at a time, so FIFO
  // order is kept without holding the mutex across Paho calls.
  void pump();
  // The budget offers this transport a slot (command_budget.hpp); false when it has nothing to send with it.
  bool on_budget_offer();
  // Hands one publish to Paho; Paho's refusal as a status.
  Status hand_to_paho(mqtt::async_client& client, paho::WindowedPublish& next);
  // Takes a slot for the next publish: a credit already granted, or a new one (caller holds mutex_). False: the
  // transport now waits in the budget's line.
  bool take_slot_locked();
  // Slots held by publishes leaving the window without a completion (drain) plus unused credits; caller holds
  // mutex_, and gives them back with budget_.release() after unlocking (the budget may call another transport).
  std::size_t drop_slots_locked(std::size_t inflight_drained);
  // Calls `call(client)` if connected, with busy_ accounting and Paho's exceptions turned into a Status.
  template <typename Call>
  Status with_connected_client(std::string_view what, Call call);

  // Listener plumbing: `busy_` accounting and reports made outside the mutex.
  void release_busy();
  void wait_until_idle(std::unique_lock<std::mutex>& lock);
  void report_connection(port::TransportListener* listener, bool connected, const Status& status, bool session_present);
  static void report_publishes(port::TransportListener* listener, const std::vector<PublishOutcome>& outcomes);
  static std::vector<PublishOutcome> as_outcomes(const std::vector<port::PublishId>& ids, const Status& status);

  const PahoTransportOptions options_;
  const paho::ServerUri uri_;
  mqtt::ssl_options ssl_options_;  // lives as long as the client: copies of it point into it (tls_options.hpp)
  PahoActionForwarder connect_forwarder_{*this, PahoActionForwarder::Kind::kConnect};
  PahoActionForwarder publish_forwarder_{*this, PahoActionForwarder::Kind::kPublish};
  PahoActionForwarder subscribe_forwarder_{*this, PahoActionForwarder::Kind::kSubscribe};
  PahoActionForwarder unsubscribe_forwarder_{*this, PahoActionForwarder::Kind::kUnsubscribe};

  std::mutex lifecycle_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::unique_ptr<mqtt::async_client> client_;  // written only under both mutexes
  port::TransportListener* listener_ = nullptr;
  State state_ = State::kIdle;
  std::uintptr_t epoch_ = 0;  // bumped per connect attempt and per disconnect; stale connect results are dropped
  unsigned busy_ = 0;
  bool pumping_ = false;
  std::string watched_client_id_;  // this attempt holds a begin_connect_watch() of it (empty: none)
  paho::PublishWindow window_;
  paho::CommandBudget& budget_ = paho::CommandBudget::process();
  std::size_t credits_ = 0;  // slots granted by the budget and not yet used
  std::shared_ptr<paho::BudgetWaiter> budget_waiter_ =
      std::make_shared<paho::BudgetWaiter>([this] { return on_budget_offer(); });
};

}  // namespace docklink::ports
