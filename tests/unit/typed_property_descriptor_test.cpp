// on_property_set<Descriptor> (docklink/typed_property.hpp) on a loopback client: the generated descriptor gives the
// path and the value type, so the setter gets the decoded enum of a property or of a struct property's field, and a
// value the type does not have is answered 325001 without running it.
#include <memory>
#include <mutex>
#include <string>

#include "client_fixture.hpp"
#include "docklink/generated/dock2_properties.hpp"
#include "docklink/generated/m3d_properties.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/typed_property.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;
namespace gen = docklink::generated;

TEST_GROUP(TypedPropertyDescriptorSet) {
  std::unique_ptr<ClientRig> rig;
  std::mutex mutex;
  int silent_mode_calls = 0;
  gen::dock2::SilentMode silent_mode = gen::dock2::SilentMode::kNormal;
  int horizon = -1;  // -1: never set
  double flight_height = -1;

  void setup() override {
    rig = std::make_unique<ClientRig>();
    on_property_set<gen::dock2::Properties::SilentMode>(*rig->client, [this](const gen::dock2::SilentMode& value) {
      std::lock_guard<std::mutex> lock(mutex);
      ++silent_mode_calls;
      silent_mode = value;
      return result_code::kSuccess;
    });
    on_property_set<gen::m3d::Properties::ObstacleAvoidance::Horizon>(*rig->client,
                                                                      [this](const gen::m3d::OffOn& value) {
                                                                        std::lock_guard<std::mutex> lock(mutex);
                                                                        horizon = static_cast<int>(value);
                                                                        return result_code::kSuccess;
                                                                      });
    on_property_set<gen::m3d::Properties::CommanderFlightHeight>(*rig->client, [this](const double& metres) {
      std::lock_guard<std::mutex> lock(mutex);
      flight_height = metres;
      return metres > 1000 ? result_code::kPropertyFailed : result_code::kSuccess;
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen set(const std::string& tid, const std::string& data) { return rig->cloud.set_properties(kDockSn, tid, data); }
};

TEST(TypedPropertyDescriptorSet, TheDescriptorGivesPathAndTypeOfPropertiesAndFields) {
  Seen reply = set("d1", R"({"silent_mode":1,"obstacle_avoidance":{"horizon":1},"commander_flight_height":1200.5})");
  CHECK_FALSE(reply.topic.empty());
  const auto& data = (*reply.json)["data"];
  LONGS_EQUAL(0, data["silent_mode"]["result"].GetInt());
  LONGS_EQUAL(0, data["obstacle_avoidance"]["horizon"]["result"].GetInt());
  LONGS_EQUAL(result_code::kPropertyFailed, data["commander_flight_height"]["result"].GetInt());
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(silent_mode == gen::dock2::SilentMode::kSilent);
  LONGS_EQUAL(1, horizon);
  DOUBLES_EQUAL(1200.5, flight_height, 0);
}

TEST(TypedPropertyDescriptorSet, AValueOutsideTheGeneratedEnumIsRefusedWithoutRunningTheSetter) {
  Seen reply = set("d2", R"({"silent_mode":7,"obstacle_avoidance":{"horizon":"on"}})");
  CHECK_FALSE(reply.topic.empty());
  const auto& data = (*reply.json)["data"];
  LONGS_EQUAL(result_code::kInvalidParameter, data["silent_mode"]["result"].GetInt());
  LONGS_EQUAL(result_code::kInvalidParameter, data["obstacle_avoidance"]["horizon"]["result"].GetInt());
  std::lock_guard<std::mutex> lock(mutex);
  LONGS_EQUAL(0, silent_mode_calls);
  LONGS_EQUAL(-1, horizon);
}
