// The samples' MQTT connection: a PahoTransport plus the credentials it asks for, from command-line settings.
#pragma once

#include <memory>
#include <string>

#include "docklink/port/credentials.hpp"
#include "docklink/port/platform.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/status.hpp"

namespace docklink::samples {

/// Broker address, protocol level, credentials and TLS files.
struct MqttSettings {
  std::string broker;     ///< tcp://, ssl://, ws:// or wss:// URI.
  int mqtt_version = 4;   ///< 4 = 3.1.1, 5 = MQTT 5.
  std::string username;   ///< Empty: none.
  std::string password;   ///< Empty: none. Never logged.
  std::string ca_file;    ///< TLS CA bundle.
  std::string cert_file;  ///< TLS client certificate.
  std::string key_file;   ///< TLS client key.
  std::string client_id;  ///< MQTT client id.
};

/// Owns a transport and its credentials provider.
class MqttConnection {
 public:
  MqttConnection();
  ~MqttConnection();
  MqttConnection(const MqttConnection&) = delete;
  MqttConnection& operator=(const MqttConnection&) = delete;

  /// Builds the transport (does not connect). `credentials` is asked before every connect attempt; nullptr: the
  /// settings' fixed client id, username and password. kInvalidArgument for a bad URI or TLS settings.
  Status open(const MqttSettings& settings, const port::Platform& platform,
              std::unique_ptr<port::CredentialsProvider> credentials = nullptr);
  /// True after a successful open().
  bool is_open() const { return transport_ != nullptr; }
  /// The transport; only after a successful open().
  port::Transport& transport() { return *transport_; }

 private:
  std::unique_ptr<port::CredentialsProvider> credentials_;
  std::unique_ptr<port::Transport> transport_;
};

}  // namespace docklink::samples
