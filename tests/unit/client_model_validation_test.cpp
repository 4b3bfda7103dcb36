#include <atomic>
#include <memory>
#include <string>

#include "client_fixture.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/thing/model_validator.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

// A Dock 2 client bound to its thing models: bad commands are answered before any handler runs.
TEST_GROUP(ClientModelValidation) {
  std::unique_ptr<thing::ModelInboundValidator> validator;
  std::unique_ptr<ClientRig> rig;
  std::atomic<int> handled{0};
  void setup() override {
    auto dock = thing::load_embedded("3-2-0");
    auto aircraft = thing::load_embedded("0-91-1");
    CHECK_TRUE(dock.is_ok());
    CHECK_TRUE(aircraft.is_ok());
    validator = std::make_unique<thing::ModelInboundValidator>(
        std::make_shared<const thing::ThingModel>(std::move(dock).value()),
        std::make_shared<const thing::ThingModel>(std::move(aircraft).value()));
    ClientOptions options = docklink::test::dock_options();
    options.validator = validator.get();
    rig = std::make_unique<ClientRig>(options);
    auto ok = [this](ServiceCall&) {
      ++handled;
      return ServiceReply::ok();
    };
    rig->client->on_service("flighttask_prepare", ok);
    rig->client->on_service("air_conditioner_mode_switch", ok);
    rig->client->on_property_set("height_limit", [this](const rapidjson::Value&) {
      ++handled;
      return result_code::kSuccess;
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override {
    rig.reset();
    validator.reset();
  }
  int call(const std::string& method, const std::string& data) {
    std::string tid = rig->cloud.call_service(kDockSn, method, data);
    return rig->cloud.wait_for("/services_reply", [&](const Seen& s) { return s.str("tid") == tid; }).result();
  }
};

TEST(ClientModelValidation, ValueOutsideTheEnumIsRejectedBeforeTheHandler) {
  LONGS_EQUAL(result_code::kInvalidParameter, call("air_conditioner_mode_switch", R"({"action":9})"));
  LONGS_EQUAL(0, handled.load());
  LONGS_EQUAL(0, call("air_conditioner_mode_switch", R"({"action":1})"));
  LONGS_EQUAL(1, handled.load());
}

TEST(ClientModelValidation, MissingRequiredFieldIsRejected) {
  LONGS_EQUAL(result_code::kInvalidParameter, call("flighttask_prepare", R"({"task_type":0})"));
  LONGS_EQUAL(0, handled.load());
}

TEST(ClientModelValidation, PropertySetOutOfRangeGetsALeafError) {
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/property/set",
                     R"({"tid":"ps","bid":"b","timestamp":1,"data":{"height_limit":100000}})");
  Seen reply = rig->cloud.wait_for("/property/set_reply", [](const Seen& s) { return s.str("tid") == "ps"; });
  CHECK_FALSE(reply.topic.empty());
  CHECK((*reply.json)["data"]["height_limit"]["result"].GetInt() != 0);
  LONGS_EQUAL(0, handled.load());
}
