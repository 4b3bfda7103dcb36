#include <atomic>
#include <string>

#include "client_fixture.hpp"
#include "docklink/result_codes.hpp"

#include "started_client_group.hpp"  // includes CppUTest's header: last

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kAircraftSn;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::StartedClientGroup;

TEST_GROUP(ClientPropertySet) {
  std::unique_ptr<ClientRig> rig;
  int height_limit = 0;
  int horizon = 0;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    rig->client->on_property_set("height_limit", [this](const rapidjson::Value& v) {
      if (!v.IsInt()) return result_code::kPropertyFailed;
      height_limit = v.GetInt();
      return result_code::kSuccess;
    });
    rig->client->on_property_set("obstacle_avoidance.horizon", [this](const rapidjson::Value& v) {
      horizon = v.IsInt() ? v.GetInt() : -1;
      return result_code::kSuccess;
    });
    rig->client->on_property_set("night_lights_state",
                                 [](const rapidjson::Value&) { return result_code::kPropertyFailed; });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen set(const std::string& tid, const std::string& data) { return rig->cloud.set_properties(kDockSn, tid, data); }
};

TEST(ClientPropertySet, ResultPerLeafIncludingNestedAndUnknown) {
  Seen reply = set("p1", R"({"height_limit":120,"obstacle_avoidance":{"horizon":1},"night_lights_state":1,"bogus":3})");
  CHECK_FALSE(reply.topic.empty());
  const auto& data = (*reply.json)["data"];
  LONGS_EQUAL(0, data["height_limit"]["result"].GetInt());
  LONGS_EQUAL(0, data["obstacle_avoidance"]["horizon"]["result"].GetInt());
  LONGS_EQUAL(1, data["night_lights_state"]["result"].GetInt());
  LONGS_EQUAL(result_code::kInvalidParameter, data["bogus"]["result"].GetInt());
  LONGS_EQUAL(120, height_limit);
  LONGS_EQUAL(1, horizon);
}

TEST(ClientPropertySet, EmptySetIsRejected) {
  Seen reply = set("p2", "{}");
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
}

TEST_GROUP_BASE(ClientTelemetry, StartedClientGroup){};

TEST(ClientTelemetry, AircraftOsdGoesOnItsOwnSnWithGatewaySet) {
  CHECK_TRUE(rig->client->publish_osd(kAircraftSn, R"({"height":10.5})").is_ok());
  Seen osd = rig->cloud.wait_for("/osd");
  STRCMP_EQUAL((std::string("thing/product/") + kAircraftSn + "/osd").c_str(), osd.topic.c_str());
  STRCMP_EQUAL(kDockSn, osd.str("gateway").c_str());
  CHECK_FALSE(osd.str("tid").empty());
  DOUBLES_EQUAL(10.5, (*osd.json)["data"]["height"].GetDouble(), 1e-9);
}

TEST(ClientTelemetry, StateForUnknownSnIsRefused) {
  CHECK_FALSE(rig->client->publish_state("STRANGER", R"({"a":1})").is_ok());
  CHECK_TRUE(rig->client->publish_state(kDockSn, R"({"firmware_version":"1.0"})").is_ok());
  CHECK_FALSE(rig->cloud.wait_for("/state").topic.empty());
}

TEST(ClientTelemetry, PeriodicOsdSourcePublishesRepeatedly) {
  std::atomic<int> calls{0};
  CHECK_TRUE(rig->client
                 ->set_osd_source(kDockSn, std::chrono::milliseconds(20),
                                  [&](std::string& out) { out = R"({"n":)" + std::to_string(++calls) + "}"; })
                 .is_ok());
  CHECK_TRUE(rig->cloud.wait_count("/osd", 3));
  rig->client->remove_osd_source(kDockSn);
  CHECK(calls.load() >= 3);
}

TEST(ClientTelemetry, CountersTrackInAndOut) {
  CHECK_TRUE(rig->client->publish_osd(kDockSn, "{}").is_ok());
  rig->cloud.wait_for("/osd");
  auto count = [this](bool out, TopicKind kind) {
    Counters counters = rig->client->counters();
    return (out ? counters.messages_out : counters.messages_in)[static_cast<std::size_t>(kind)];
  };
  CHECK_TRUE(docklink::test::eventually([&] { return count(true, TopicKind::kOsd) >= 1; }));
  CHECK_TRUE(docklink::test::eventually([&] { return count(true, TopicKind::kStatus) >= 1; }));
  CHECK_TRUE(docklink::test::eventually([&] { return count(false, TopicKind::kStatusReply) >= 1; }));
}
