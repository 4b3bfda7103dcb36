// The Linux MQTT transport: port::Transport on Eclipse Paho MQTT C++ (TCP, TLS, WebSocket; MQTT 3.1.1 and 5).
// Paho's headers stay out of this header so that users of the SDK need not compile against them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/port/credentials.hpp"
#include "docklink/port/log.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// MQTT protocol level spoken to the broker.
enum class MqttVersion : std::uint8_t {
  kV311,  ///< MQTT 3.1.1 (what DJI docks speak).
  kV5,    ///< MQTT 5.
};

/// TLS settings, used when the server URI is ssl://, mqtts:// or wss://.
struct PahoTlsOptions {
  /// PEM file with the CA certificate(s) the broker's certificate must chain to. With neither this nor
  /// `ca_directory` set, OpenSSL's default trust store is used.
  std::string ca_file;
  /// Directory of hashed CA certificates (c_rehash layout), as an alternative or addition to `ca_file`.
  std::string ca_directory;
  /// PEM client certificate for mutual TLS (may also hold the key). Empty: no client certificate.
  std::string client_certificate_file;
  /// PEM private key of the client certificate. Empty: the key is read from `client_certificate_file`.
  std::string client_key_file;
  /// Skips server certificate AND hostname verification. Only for labs: anyone on the path can impersonate
  /// the broker. Every connect attempt logs a warning while it is set.
  bool insecure_skip_verify = false;
};

/// Everything a PahoTransport needs; plain fields with safe defaults.
struct PahoTransportOptions {
  /// Broker address: tcp://host:port, ssl://host:port (mqtts:// is accepted as ssl://), ws://host:port/path or
  /// wss://host:port/path. A missing port means 1883, 8883, 80 or 443 respectively.
  std::string server_uri;
  /// Protocol level.
  MqttVersion mqtt_version = MqttVersion::kV311;
  /// Asked before every connect attempt for client id, username and password (so rotating passwords stay
  /// fresh). Not owned; must outlive the transport. nullptr: connect anonymously as `default_client_id`.
  port::CredentialsProvider* credentials = nullptr;
  /// Client id used when there is no credentials provider or it returns an empty client id.
  std::string default_client_id;
  /// MQTT keepalive.
  std::chrono::seconds keep_alive{defaults::kKeepAliveSeconds};
  /// Clean session (3.1.1) or clean start (5). DockLink re-subscribes and re-sends itself, so a fresh session
  /// is the default. With false the broker keeps the session (subscriptions, messages queued for the device).
  /// Either way each connect uses a new Paho client, so Paho itself re-sends nothing of a lost connection: the
  /// core does, in its order.
  bool clean_session = true;
  /// How long a connect attempt may take before it fails with kIo (TCP, TLS and CONNACK together).
  std::chrono::seconds connect_timeout{10};
  /// TLS settings (ignored for tcp:// and ws://, where setting any of them is an error).
  PahoTlsOptions tls;
  /// Unacknowledged QoS 1/2 publishes handed to Paho at once; the rest wait in the transport's FIFO. Must not
  /// exceed the broker's Receive Maximum, or Paho stalls in 1 s steps (docs/toolchain-notes.md#p4).
  unsigned max_inflight = defaults::kMaxInflight;
  /// Publishes (any QoS, in order) the transport's FIFO holds while the in-flight window or the process's budget
  /// (defaults::kPahoProcessInflight) is full; publish() returns kBusy beyond, and also when the FIFOs of all
  /// transports of the process hold defaults::kPahoProcessQueuedBytes.
  std::size_t max_queued = defaults::kPahoQueueMaxMessages;
  /// QoS 0 publishes handed to Paho and not yet written, and the extra room in Paho's own command buffer for
  /// them (it also bounds commands while connected, P5); more wait in the FIFO.
  unsigned qos0_buffer = 1000;
  /// Sets TCP_NODELAY on the broker connection after every connect. Paho C has no option for it, so the
  /// transport finds the socket among the process's file descriptors; without it a QoS 1 request/reply costs
  /// tens of milliseconds (Nagle, P3). The scan costs one system call per open descriptor and connect.
  bool tcp_nodelay = true;
  /// Diagnostics sink (component "paho"); not owned, may be nullptr. Passwords and keys are never logged.
  port::Log* log = nullptr;
};

/// port::Transport over Paho MQTT C++ 1.2.
///
/// Threads: Paho's callback thread only updates the transport's state and forwards to the TransportListener.
/// The transport never reconnects by itself. QoS 1/2 flow control keeps at most `max_inflight` publishes in
/// Paho and queues the rest in FIFO order; when the connection drops, everything queued or in flight is
/// reported through on_publish_done(id, kNotConnected) so the caller can re-queue it.
class DOCKLINK_API PahoTransport final : public port::Transport {
 public:
  /// Validates the options (bad URI or inconsistent TLS settings: kInvalidArgument). Does not connect.
  static Result<std::unique_ptr<PahoTransport>> create(PahoTransportOptions options);

  /// Disconnects (waiting briefly for a clean DISCONNECT) and stops every callback before returning.
  ~PahoTransport() override;

  PahoTransport(const PahoTransport&) = delete;
  PahoTransport& operator=(const PahoTransport&) = delete;

  /// See port::Transport. Waits for a listener call in progress on another thread before returning.
  void set_listener(port::TransportListener* listener) override;
  /// See port::Transport. Asks the credentials provider, then starts the attempt; kBusy while connecting or
  /// connected, kAuth (or the provider's status) when no credentials are available.
  Status connect() override;
  /// See port::Transport. Paho gets `timeout` for a clean DISCONNECT; the wait for Paho to report it done lasts up
  /// to defaults::kPahoDisconnectGraceMs longer, because freeing the client before that report is unsafe.
  void disconnect(std::chrono::milliseconds timeout) override;
  /// See port::Transport.
  bool is_connected() const override;
  /// See port::Transport. Every QoS goes through the in-flight window and the process's budget, in one FIFO;
  /// kBusy when that FIFO or the process's waiting bytes are full (PahoTransportOptions::max_queued).
  Status publish(std::string_view topic, std::string_view payload, port::Qos qos, port::PublishId id) override;
  /// See port::Transport.
  Status subscribe(std::string_view filter, port::Qos qos) override;
  /// One SUBSCRIBE for all of `filters`.
  Status subscribe_many(const std::vector<std::string>& filters, port::Qos qos) override;
  /// See port::Transport.
  Status unsubscribe(std::string_view filter) override;

  /// The implementation; public only so that the .cpp files can name it.
  class DOCKLINK_INTERNAL Impl;  // not exported: its members are the port's internals

 private:
  explicit PahoTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace docklink::ports
