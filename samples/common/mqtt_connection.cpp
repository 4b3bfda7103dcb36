#include "mqtt_connection.hpp"

#include "docklink/ports/credentials.hpp"
#include "docklink/ports/paho_transport.hpp"

namespace docklink::samples {

MqttConnection::MqttConnection() = default;

// The transport goes first: it may still ask the credentials provider while shutting down.
MqttConnection::~MqttConnection() { transport_.reset(); }

Status MqttConnection::open(const MqttSettings& settings, const port::Platform& platform,
                            std::unique_ptr<port::CredentialsProvider> credentials) {
  credentials_ = std::move(credentials);
  if (!credentials_) {
    credentials_ = std::make_unique<ports::StaticCredentials>(settings.client_id, settings.username, settings.password);
  }

  ports::PahoTransportOptions options;
  options.server_uri = settings.broker;
  options.mqtt_version = settings.mqtt_version == 5 ? ports::MqttVersion::kV5 : ports::MqttVersion::kV311;
  options.credentials = credentials_.get();
  options.default_client_id = settings.client_id;
  options.tls.ca_file = settings.ca_file;
  options.tls.client_certificate_file = settings.cert_file;
  options.tls.client_key_file = settings.key_file;
  options.log = platform.log;
  auto transport = ports::PahoTransport::create(std::move(options));
  if (!transport) return transport.status();
  transport_ = std::move(transport).value();
  return Status::ok();
}

}  // namespace docklink::samples
