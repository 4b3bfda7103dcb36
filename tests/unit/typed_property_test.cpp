// Typed property setters (docklink/typed_property.hpp) on a loopback client: each setter gets its leaf decoded
// (integer, number, 0/1 or true/false bool, text, generated enum); a value that does not decode is answered 325001
// without running it, and the setter's own result is the leaf's result.
#include <memory>
#include <mutex>
#include <string>

#include "client_fixture.hpp"
#include "docklink/generated/dock2.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/typed_property.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

TEST_GROUP(TypedPropertySet) {
  std::unique_ptr<ClientRig> rig;
  std::mutex mutex;
  std::int64_t height_limit = -1;
  double flight_height = -1;
  int silent_mode = -1;  // -1: never set
  std::string text;
  int setter_calls = 0;

  void setup() override {
    rig = std::make_unique<ClientRig>();
    on_property_set<std::int64_t>(*rig->client, "height_limit", [this](const std::int64_t& value) {
      std::lock_guard<std::mutex> lock(mutex);
      ++setter_calls;
      height_limit = value;
      return result_code::kSuccess;
    });
    on_property_set<double>(*rig->client, "commander_flight_height", [this](const double& value) {
      std::lock_guard<std::mutex> lock(mutex);
      ++setter_calls;
      flight_height = value;
      return result_code::kSuccess;
    });
    on_property_set<bool>(*rig->client, "silent_mode", [this](const bool& value) {
      std::lock_guard<std::mutex> lock(mutex);
      ++setter_calls;
      silent_mode = value ? 1 : 0;
      return result_code::kSuccess;
    });
    on_property_set<std::string>(*rig->client, "camera_watermark_settings.user_custom_string",
                                 [this](const std::string& value) {
                                   std::lock_guard<std::mutex> lock(mutex);
                                   ++setter_calls;
                                   text = value;
                                   return value.size() > 8 ? result_code::kPropertyFailed : result_code::kSuccess;
                                 });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen set(const std::string& tid, const std::string& data) { return rig->cloud.set_properties(kDockSn, tid, data); }
};

TEST(TypedPropertySet, EachSetterGetsItsDecodedValueAndAnswersWithItsResult) {
  Seen reply = set("t1", R"({"height_limit":120,"commander_flight_height":87.5,"silent_mode":1,)"
                         R"("camera_watermark_settings":{"user_custom_string":"callsign-long"}})");
  CHECK_FALSE(reply.topic.empty());
  const auto& data = (*reply.json)["data"];
  LONGS_EQUAL(0, data["height_limit"]["result"].GetInt());
  LONGS_EQUAL(0, data["commander_flight_height"]["result"].GetInt());
  LONGS_EQUAL(0, data["silent_mode"]["result"].GetInt());
  LONGS_EQUAL(result_code::kPropertyFailed, data["camera_watermark_settings"]["user_custom_string"]["result"].GetInt());
  std::lock_guard<std::mutex> lock(mutex);
  LONGS_EQUAL(120, height_limit);
  DOUBLES_EQUAL(87.5, flight_height, 0);
  LONGS_EQUAL(1, silent_mode);
  STRCMP_EQUAL("callsign-long", text.c_str());
}

TEST(TypedPropertySet, AValueThatDoesNotDecodeIsRefusedWithoutRunningTheSetter) {
  Seen reply = set("t2", R"({"height_limit":"high","silent_mode":true,"commander_flight_height":[1]})");
  CHECK_FALSE(reply.topic.empty());
  const auto& data = (*reply.json)["data"];
  LONGS_EQUAL(result_code::kInvalidParameter, data["height_limit"]["result"].GetInt());
  LONGS_EQUAL(result_code::kInvalidParameter, data["commander_flight_height"]["result"].GetInt());
  LONGS_EQUAL(0, data["silent_mode"]["result"].GetInt());  // true/false is a bool too
  std::lock_guard<std::mutex> lock(mutex);
  LONGS_EQUAL(1, setter_calls);
  LONGS_EQUAL(-1, height_limit);
  LONGS_EQUAL(1, silent_mode);
}
