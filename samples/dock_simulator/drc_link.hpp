// The dock's second MQTT connection for command flight (DRC, docs/protocol.md#drc-link): opened on drc_mode_enter to
// the broker the cloud names, subscribed to drc/down and publishing on drc/up of the gateway SN.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "docklink/generated/types.hpp"
#include "docklink/port/credentials.hpp"
#include "docklink/port/log.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/status.hpp"

namespace docklink::sim {

/// drc_mode_enter's mqtt_broker.
struct DrcBroker {
  std::string address;    ///< "host:port" (scheme from enable_tls) or a full tcp/ssl/ws/wss URI.
  std::string client_id;  ///< MQTT client id.
  std::string username;   ///< May be empty.
  std::string password;   ///< May be empty. Never logged.
  bool enable_tls = false;
};

/// The broker of drc_mode_enter's decoded mqtt_broker (the generated struct reads enable_tls as a bool or 0/1).
DrcBroker drc_broker_of(const generated::shared::DrcModeEnterMqttBroker& mqtt_broker);

/// The broker URI for `broker`: "host:port" gets tcp:// or ssl://; a URI with a scheme is kept.
std::string drc_broker_uri(const DrcBroker& broker);

/// True when `broker` asks for TLS (enable_tls) while its address names a plain-text scheme (tcp://, mqtt://,
/// ws://). A "host:port" address gets ssl:// from enable_tls and is fine.
bool plain_text_with_tls(const DrcBroker& broker);

/// kInvalidArgument when `broker` lacks address or client_id, or asks for TLS (enable_tls) while its address
/// names a plain-text scheme (tcp://, mqtt://, ws://): the cloud asked for an encrypted link, and connecting in
/// the clear would send the credentials unprotected.
Status check_drc_broker(const DrcBroker& broker);

/// One DRC connection. Its callbacks run on Paho's thread and must only hand work elsewhere: they must not call
/// back into this link (the transport forbids it).
class DrcLink : public port::TransportListener {
 public:
  /// A drc/down payload arrived; the view is valid only during the call.
  using MessageHandler = std::function<void(std::string_view payload)>;
  /// The connection came up (true) or went down or failed (false).
  using ConnectionHandler = std::function<void(bool connected)>;

  /// Builds the transport and starts connecting. kInvalidArgument for a broker check_drc_broker() refuses or a
  /// bad address.
  static Result<std::unique_ptr<DrcLink>> open(const DrcBroker& broker, std::string gateway_sn, port::Log* log,
                                               MessageHandler on_message, ConnectionHandler on_connection);
  /// Disconnects (briefly waiting for a clean DISCONNECT); no callback runs after it returns.
  ~DrcLink() override;
  DrcLink(const DrcLink&) = delete;
  DrcLink& operator=(const DrcLink&) = delete;

  /// Subscribes to drc/down; call once connected, not from a callback.
  Status subscribe();
  /// Publishes a complete DRC message (QoS 0, as DRC traffic is real-time) on drc/up.
  Status publish(const std::string& payload);

  // port::TransportListener
  void on_message(std::string_view topic, std::string_view payload) override;
  void on_connection_changed(bool connected, const Status& status, bool session_present) override;
  void on_publish_done(port::PublishId id, const Status& status) override;

 private:
  DrcLink(std::string gateway_sn, MessageHandler on_message, ConnectionHandler on_connection);

  std::string gateway_sn_;
  MessageHandler on_message_;
  ConnectionHandler on_connection_;
  std::unique_ptr<port::CredentialsProvider> credentials_;
  std::unique_ptr<port::Transport> transport_;
};

}  // namespace docklink::sim
