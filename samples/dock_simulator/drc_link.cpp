#include "drc_link.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "docklink/ports/credentials.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "docklink/topics.hpp"

namespace docklink::sim {

namespace {

// The lower-case scheme of `address` ("tcp" of "TCP://host:1883"), or empty for the doc's "host:port".
std::string scheme_of(const std::string& address) {
  std::size_t end = address.find("://");
  if (end == std::string::npos) return {};
  std::string scheme = address.substr(0, end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme;
}

}  // namespace

DrcBroker drc_broker_of(const generated::shared::DrcModeEnterMqttBroker& mqtt) {
  DrcBroker broker;
  broker.address = mqtt.address;
  broker.client_id = mqtt.client_id;
  broker.username = mqtt.username;
  broker.password = mqtt.password;
  broker.enable_tls = mqtt.enable_tls.value_or(false);
  return broker;
}

bool plain_text_with_tls(const DrcBroker& broker) {
  std::string scheme = scheme_of(broker.address);
  return broker.enable_tls && (scheme == "tcp" || scheme == "mqtt" || scheme == "ws");
}

Status check_drc_broker(const DrcBroker& broker) {
  if (broker.address.empty() || broker.client_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "mqtt_broker needs address and client_id");
  }
  if (plain_text_with_tls(broker)) {
    return Status(StatusCode::kInvalidArgument, "mqtt_broker asks for TLS but names a plain-text URI");
  }
  return Status();
}

std::string drc_broker_uri(const DrcBroker& broker) {
  if (broker.address.find("://") != std::string::npos) return broker.address;  // the Java demo's full URL
  return (broker.enable_tls ? "ssl://" : "tcp://") + broker.address;           // the doc's host:port
}

DrcLink::DrcLink(std::string gateway_sn, MessageHandler on_message, ConnectionHandler on_connection)
    : gateway_sn_(std::move(gateway_sn)),
      on_message_(std::move(on_message)),
      on_connection_(std::move(on_connection)) {}

Result<std::unique_ptr<DrcLink>> DrcLink::open(const DrcBroker& broker, std::string gateway_sn, port::Log* log,
                                               MessageHandler on_message, ConnectionHandler on_connection) {
  Status checked = check_drc_broker(broker);
  if (!checked) return checked;
  std::unique_ptr<DrcLink> link(new DrcLink(std::move(gateway_sn), std::move(on_message), std::move(on_connection)));
  link->credentials_ = std::make_unique<ports::StaticCredentials>(broker.client_id, broker.username, broker.password);
  ports::PahoTransportOptions options;
  options.server_uri = drc_broker_uri(broker);
  options.credentials = link->credentials_.get();
  options.default_client_id = broker.client_id;
  options.keep_alive = std::chrono::seconds(10);
  options.connect_timeout = std::chrono::seconds(5);
  options.log = log;
  auto transport = ports::PahoTransport::create(std::move(options));
  if (!transport) return transport.status();
  link->transport_ = std::move(transport).value();
  link->transport_->set_listener(link.get());
  Status status = link->transport_->connect();
  if (!status) return status;
  return link;
}

DrcLink::~DrcLink() {
  if (transport_) {
    transport_->disconnect(std::chrono::milliseconds(300));
    transport_->set_listener(nullptr);
    transport_.reset();
  }
}

Status DrcLink::subscribe() {
  return transport_->subscribe(topic(TopicKind::kDrcDown, gateway_sn_), port::Qos::kAtMostOnce);
}

Status DrcLink::publish(const std::string& payload) {
  return transport_->publish(topic(TopicKind::kDrcUp, gateway_sn_), payload, port::Qos::kAtMostOnce, 0);
}

void DrcLink::on_message(std::string_view, std::string_view payload) { on_message_(payload); }

void DrcLink::on_connection_changed(bool connected, const Status&, bool) { on_connection_(connected); }

void DrcLink::on_publish_done(port::PublishId, const Status&) {}

}  // namespace docklink::sim
