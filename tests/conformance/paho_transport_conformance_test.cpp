// The transport conformance suite on the Paho transport (ports/paho) against a private mosquitto started for
// each test, over MQTT 3.1.1 and MQTT 5.
#include <chrono>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "transport_conformance.hpp"

namespace {

using docklink::ports::MqttVersion;

class PahoFactory : public docklink::conformance::TransportFactory {
 public:
  explicit PahoFactory(MqttVersion version) : version_(version) {}

  /// The broker's start-up error; empty when it runs.
  std::string broker_error() const { return broker_.running() ? std::string() : broker_.error(); }

  std::unique_ptr<docklink::port::Transport> make(const std::string& client_id) override {
    docklink::ports::PahoTransportOptions options;
    options.server_uri = broker_.uri();
    options.default_client_id = client_id;
    options.mqtt_version = version_;
    options.connect_timeout = std::chrono::seconds(5);
    auto created = docklink::ports::PahoTransport::create(options);
    if (!created) return nullptr;
    return std::move(created).value();
  }

 private:
  docklink::test::MosquittoProcess broker_;
  MqttVersion version_;
};

}  // namespace

TEST_GROUP(PahoTransportConformance) {
  PahoFactory factory{MqttVersion::kV311};
  void setup() override { STRCMP_EQUAL("", factory.broker_error().c_str()); }
};

DOCKLINK_TRANSPORT_CONFORMANCE_TESTS(PahoTransportConformance, factory)

TEST_GROUP(PahoMqtt5TransportConformance) {
  PahoFactory factory{MqttVersion::kV5};
  void setup() override { STRCMP_EQUAL("", factory.broker_error().c_str()); }
};

DOCKLINK_TRANSPORT_CONFORMANCE_TESTS(PahoMqtt5TransportConformance, factory)
