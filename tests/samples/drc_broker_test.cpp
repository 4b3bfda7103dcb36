// drc_mode_enter's mqtt_broker: TLS asked for with a plain-text URI is refused.
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

TEST(SimDrcBroker, ReadsEnableTlsAsBoolOrNumber) {
  rapidjson::Document json;
  json.Parse(R"({"address":"tcp://b:1","client_id":"c","username":"u","password":"p","enable_tls":1})");
  DrcBroker read = docklink::sim::read_drc_broker(json);
  CHECK_TRUE(read.enable_tls);
  STRCMP_EQUAL("c", read.client_id.c_str());
  CHECK_TRUE(plain_text_with_tls(read));
  json.Parse(R"({"address":"b:1","client_id":"c","enable_tls":false})");
  CHECK_FALSE(docklink::sim::read_drc_broker(json).enable_tls);
}
