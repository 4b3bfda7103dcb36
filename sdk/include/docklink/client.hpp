// Client: one gateway (dock) and its sub-devices (aircraft) speaking to a cloud (the DJI Cloud API by default, or
// another cloud profile) over a Transport.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/counters.hpp"
#include "docklink/device.hpp"
#include "docklink/envelope.hpp"
#include "docklink/export.hpp"
#include "docklink/port/platform.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/profile.hpp"
#include "docklink/runtime.hpp"
#include "docklink/service.hpp"
#include "docklink/status.hpp"
#include "docklink/validator.hpp"

namespace docklink {

namespace detail {
class ClientCore;
struct ClientAccess;
}  // namespace detail

/// Limits of the offline queue (messages kept while disconnected).
struct OfflineQueueLimits {
  std::size_t max_messages = defaults::kOfflineQueueMaxMessages;  ///< Queued messages at most.
  std::size_t max_bytes = defaults::kOfflineQueueMaxBytes;        ///< Queued payload bytes at most.
  std::int64_t max_age_ms = defaults::kOfflineQueueMaxAgeMs;      ///< Older messages are dropped.
};

/// This client's share of the inbound queue (messages waiting for a dispatcher thread). Beyond it the client's
/// messages are dropped and counted (Counters::inbound_dropped), so a flooded dock cannot starve the others.
struct InboundQueueLimits {
  std::size_t max_messages = defaults::kInboundClientMaxMessages;  ///< Waiting messages at most.
  std::size_t max_bytes = defaults::kInboundClientMaxBytes;        ///< Waiting topic + payload bytes at most.
};

/// Reconnect backoff: full jitter, delay = random(0, min(max, initial * 2^attempt)). `attempt` counts failed
/// attempts and connections lost before they were ready and stable; see defaults::kBackoffReadyStableMs.
/// Refused credentials or authorisation (kAuth) follow their own, slower schedule (auth_initial_ms doubling to
/// auth_max_ms, delay between half the bound and the bound).
struct BackoffOptions {
  std::int64_t initial_ms = defaults::kBackoffInitialMs;  ///< First delay bound.
  std::int64_t max_ms = defaults::kBackoffMaxMs;          ///< Largest delay bound.
  /// A connection that finished its set-up (subscribed, update_topo acknowledged) and stayed up this long
  /// resets attempts when it ends.
  std::int64_t ready_stable_ms = defaults::kBackoffReadyStableMs;
  std::int64_t reset_after_ms = defaults::kBackoffResetAfterMs;  ///< Any connection up this long resets attempts.
  std::int64_t auth_initial_ms = defaults::kAuthRetryInitialMs;  ///< First delay bound after a kAuth refusal.
  std::int64_t auth_max_ms = defaults::kAuthRetryMaxMs;          ///< Largest delay bound after kAuth refusals.
};

/// Everything a Client needs besides its ports.
struct ClientOptions {
  DeviceInfo gateway;                                ///< The dock (domain "3").
  std::vector<DeviceInfo> sub_devices;               ///< Its aircraft (domain "0"); empty when none is connected.
  port::Qos reliable_qos = port::Qos::kAtLeastOnce;  ///< QoS of replies, events, requests, topology.
  port::Qos telemetry_qos = port::Qos::kAtMostOnce;  ///< QoS of osd/state.
  std::int64_t reply_timeout_ms = defaults::kReplyTimeoutMs;  ///< Wait for events/status reply before resend.
  int max_retries = defaults::kMaxRetries;                    ///< Event resends before giving up.
  std::int64_t topology_resend_max_ms = defaults::kTopologyResendMaxMs;    ///< Longest wait between topology resends.
  std::int64_t request_timeout_ms = defaults::kRequestTimeoutMs;           ///< Default deadline of a request.
  std::int64_t duplicate_tid_window_ms = defaults::kDuplicateTidWindowMs;  ///< Service tid memory.
  std::size_t duplicate_tid_capacity = defaults::kDuplicateTidCapacity;    ///< Service tids remembered.
  bool job_events_need_reply = true;  ///< Progress events ask for events_reply (as DJI's docks do).
  EnvelopeLimits limits;              ///< Inbound payload size and depth limits.
  OfflineQueueLimits offline_queue;   ///< Offline queue limits.
  InboundQueueLimits inbound_queue;   ///< This client's share of the inbound queue.
  BackoffOptions backoff;             ///< Reconnect delays.
  bool auto_reconnect = true;         ///< Reconnect after a lost or failed connection.
  /// Optional validator run before handlers (the thing-model layer provides one). Must outlive the client.
  const InboundValidator* validator = nullptr;
  /// The cloud on the other side of the broker: dji_profile() (also when null) or iotda::make_profile().
  std::shared_ptr<const CloudProfile> profile;
};

/// Outcome of an event with need_reply, a request or a topology update.
struct Reply {
  Status status;             ///< ok when a reply came; kTimeout, kShutdown… otherwise.
  std::int32_t result = -1;  ///< data.result of the reply (0 success); -1 when there was no reply.
  std::string output_json;   ///< data.output as JSON text, or the whole data for flat replies (config).
};

/// Called with the outcome of an event, request or topology update. Runs on a dispatcher thread.
using ReplyCallback = std::function<void(const Reply& reply)>;

/// Options of one event.
struct EventOptions {
  bool need_reply = false;  ///< Ask for events_reply; resent on timeout up to max_retries.
  std::string bid;          ///< Business id; empty: a new one.
};

/// A message the offline queue had to drop.
struct DroppedMessage {
  TopicKind kind;      ///< What it was.
  std::string method;  ///< Its method, if any.
  std::string reason;  ///< Why ("queue full", "too old"…).
};

/// Sets one property from property/set. Returns 0 (ok), 1 (failed), 2 (timeout) or a protocol code.
using PropertySetter = std::function<std::int32_t(const rapidjson::Value& value)>;

/// A DRC downlink message (drc/down).
struct DrcMessage {
  std::string_view method;       ///< e.g. "stick_control", "heart_beat".
  bool has_seq = false;          ///< Whether `seq` was present.
  std::int64_t seq = 0;          ///< Sequence number.
  const rapidjson::Value& data;  ///< The body.
};

/// A system event of the cloud that the SDK leaves to the application (IoTDA: the `$ota`, `$file_manager` ...
/// events on sys/events/down; DJI clouds have none). The views and `paras` are valid during the handler only.
struct SystemEvent {
  std::string_view device_sn;     ///< The device it is about: the gateway's SN or a sub-device's.
  std::string_view service_id;    ///< The system service, e.g. "$ota".
  std::string_view event_type;    ///< e.g. "firmware_upgrade".
  std::string_view event_id;      ///< Empty when the cloud sent none.
  const rapidjson::Value& paras;  ///< Always an object.
};

/// Receives the system events of one service. Runs on the client's user strand, like service handlers.
using SystemEventHandler = std::function<void(const SystemEvent& event)>;

/// A dock's connection to the cloud. Thread-safe. Handlers and callbacks run on the Runtime's dispatcher
/// threads, one at a time per client, never on the transport thread.
class DOCKLINK_API Client {
 public:
  /// Builds a client. The platform ports, transport and runtime must outlive it. Validates the SNs.
  static Result<std::unique_ptr<Client>> create(ClientOptions options, port::Platform platform,
                                                port::Transport& transport, Runtime& runtime);
  /// Stops (see stop()) and releases everything; does not hang when offline or mid-send.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Connects and keeps connected (reconnecting with backoff). Returns at once.
  Status start();
  /// Disconnects, cancels timers and pending replies (their callbacks get kShutdown), waits for a running handler.
  /// Called from a handler or callback of this client (its own strand, which it would wait for), it stops nothing
  /// and returns kBusy; stopping again after a stop is ok. Each stop waits for its clean MQTT DISCONNECT: a process
  /// with many clients stops them together with stop_clients() (docklink/stop_clients.hpp).
  Status stop();

  /// Registers the handler of a service method (replaces an earlier one).
  void on_service(std::string method, ServiceHandler handler);
  /// Registers the setter of a property; nested properties use dots: "obstacle_avoidance.horizon".
  void on_property_set(std::string path, PropertySetter setter);
  /// Receives DRC downlink messages.
  void on_drc(std::function<void(const DrcMessage&)> handler);
  /// Told of every connection change (after subscriptions are restored and update_topo is sent, for connects).
  void on_connection_changed(std::function<void(bool connected, const Status& status)> handler);
  /// Adds a listener told of every connection change right after the on_connection_changed handler, which it does
  /// not replace: for components that act on each connect (iotda::OtaUpgrader's version reports) beside the
  /// application's own handler. Listeners stay for the client's life, so one must hold only what outlives the
  /// client or what it shares (a shared_ptr), never a raw pointer to a shorter-lived object.
  void add_connection_listener(std::function<void(bool connected, const Status& status)> listener);
  /// Told of every message the offline queue drops.
  void on_dropped(std::function<void(const DroppedMessage&)> handler);
  /// Registers the handler of one system service's events, e.g. "$ota" (replaces an earlier one). A cloud that
  /// delivers the same event again (IoTDA redelivers unacknowledged downlinks for minutes) has the repeat dropped
  /// and counted in Counters::duplicates: by its event_id, or by its whole payload when it has none. Events of a
  /// service without a handler are counted and ignored.
  void on_system_event(std::string service_id, SystemEventHandler handler);

  /// Publishes an event on `events`. With need_reply the callback gets the events_reply (or a timeout after
  /// the retries); without, it gets ok once the message is handed to the transport or queued.
  Status publish_event(std::string_view method, std::string_view data_json, EventOptions options = {},
                       ReplyCallback done = {});
  /// Sends a request on `requests`; the callback gets requests_reply (flat replies such as `config` come back
  /// with result 0 and the whole data as output) or kTimeout after `timeout` (0: the default).
  Status send_request(std::string_view method, std::string_view data_json, ReplyCallback done,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  /// Publishes an OSD snapshot for the gateway or a sub-device (`gateway` is set to the dock SN).
  Status publish_osd(std::string_view device_sn, std::string_view data_json);
  /// Publishes a state message (one logical group of properties) for the gateway or a sub-device.
  Status publish_state(std::string_view device_sn, std::string_view data_json);
  /// Publishes OSD for `device_sn` every `period`; `fill` writes the data JSON and runs on a dispatcher thread.
  /// The first OSD goes out at a random moment within the first period, so that a fleet started together
  /// spreads its OSD over the period instead of bursting.
  Status set_osd_source(std::string device_sn, std::chrono::milliseconds period,
                        std::function<void(std::string& data_json)> fill);
  /// Stops the periodic OSD of a device.
  void remove_osd_source(std::string_view device_sn);
  /// Publishes on drc/up.
  Status publish_drc(std::string_view method, std::string_view data_json, std::int64_t seq = -1);
  /// Publishes a system event about `device_sn` (the gateway or one of its sub-devices), e.g. IoTDA's `$ota`
  /// `upgrade_progress_report`; `paras_json` is a JSON object, `event_id` may be empty. Queued while offline like
  /// other events; nothing answers it. kInvalidArgument on a cloud without system events (DJI), for a device this
  /// client does not own, or when the event cannot be encoded (bad names, paras not an object, too big).
  Status publish_system_event(std::string_view device_sn, std::string_view service_id, std::string_view event_type,
                              std::string_view paras_json, std::string_view event_id = {});
  /// Replaces the sub-devices and sends update_topo (retried until status_reply acknowledges it).
  Status set_sub_devices(std::vector<DeviceInfo> sub_devices);

  /// True while connected.
  bool connected() const;
  /// A snapshot of the counters.
  Counters counters() const;
  /// The cloud's clock minus this device's wall clock (ms), from the latest time sync the cloud answered (IoTDA:
  /// `$time_sync` after every connect, the round trip halved). Add it to the wall clock for the cloud's time, e.g.
  /// before signing with IoTDA's sign type 1. kNotFound until one completed, and always on DJI clouds (they name
  /// an NTP server in the config reply instead).
  Result<std::int64_t> cloud_clock_offset() const;
  /// The gateway SN.
  const std::string& sn() const;

 private:
  friend struct detail::ClientAccess;  // stop_clients()' way to the core (sdk/src/client_access.hpp)
  explicit Client(std::shared_ptr<detail::ClientCore> core);
  std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace docklink
