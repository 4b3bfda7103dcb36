// drc_mode_enter's mqtt_broker: TLS asked for with a plain-text URI is refused.
#include <string>

#include <rapidjson/document.h>

#include "drc_link.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using docklink::sim::check_drc_broker;
using docklink::sim::drc_broker_uri;
using docklink::sim::DrcBroker;
using docklink::sim::plain_text_with_tls;

namespace {

DrcBroker broker(const std::string& address, bool tls) {
  DrcBroker made;
  made.address = address;
  made.client_id = "drc-client";
  made.enable_tls = tls;
  return made;
}

}  // namespace

TEST_GROUP(SimDrcBroker){};

TEST(SimDrcBroker, TlsWithAPlainTextUriIsRefused) {
  for (const char* address : {"tcp://broker:1883", "TCP://broker:1883", "mqtt://broker:1883", "ws://broker:8083"}) {
    CHECK_TRUE(plain_text_with_tls(broker(address, true)));
    CHECK_FALSE(check_drc_broker(broker(address, true)).is_ok());
    CHECK_TRUE(check_drc_broker(broker(address, false)).is_ok());  // no TLS asked: the cloud's choice
  }
}

TEST(SimDrcBroker, TlsWithATlsUriOrHostPortIsAccepted) {
  CHECK_TRUE(check_drc_broker(broker("ssl://broker:8883", true)).is_ok());
  CHECK_TRUE(check_drc_broker(broker("wss://broker:8084", true)).is_ok());
  CHECK_TRUE(check_drc_broker(broker("broker:8883", true)).is_ok());
  STRCMP_EQUAL("ssl://broker:8883", drc_broker_uri(broker("broker:8883", true)).c_str());
  STRCMP_EQUAL("tcp://broker:1883", drc_broker_uri(broker("broker:1883", false)).c_str());
}

TEST(SimDrcBroker, AddressAndClientIdAreNeeded) {
  CHECK_FALSE(check_drc_broker(broker("", false)).is_ok());
  DrcBroker no_client = broker("broker:1883", false);
  no_client.client_id.clear();
  CHECK_FALSE(check_drc_broker(no_client).is_ok());
}

namespace {

// mqtt_broker decoded by the generated struct, then taken over: enable_tls may be a bool or 0/1.
DrcBroker decoded_broker(const char* json_text) {
  rapidjson::Document json;
  json.Parse(json_text);
  docklink::generated::shared::DrcModeEnterMqttBroker mqtt;
  std::string error;
  CHECK_TRUE(from_json(json, mqtt, &error));
  return docklink::sim::drc_broker_of(mqtt);
}

}  // namespace

TEST(SimDrcBroker, ReadsEnableTlsAsBoolOrNumber) {
  DrcBroker read = decoded_broker(
      R"({"address":"tcp://b:1","client_id":"c","username":"u","password":"p","expire_time":1,"enable_tls":1})");
  CHECK_TRUE(read.enable_tls);
  STRCMP_EQUAL("c", read.client_id.c_str());
  CHECK_TRUE(plain_text_with_tls(read));
  CHECK_FALSE(decoded_broker(
                  R"({"address":"b:1","client_id":"c","username":"","password":"","expire_time":1,"enable_tls":false})")
                  .enable_tls);
}
