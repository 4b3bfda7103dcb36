// Typed events (docklink/typed_event.hpp) on a loopback client: a generated event struct is published on `events`
// under its kMethod with its fields as data, unset optional fields left out.
#include <memory>
#include <string>

#include "client_fixture.hpp"
#include "docklink/generated/dock2.hpp"
#include "docklink/typed_event.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
namespace dock2 = docklink::generated::dock2;
using docklink::test::ClientRig;
using docklink::test::Seen;

TEST_GROUP(TypedEvent) {
  std::unique_ptr<ClientRig> rig;

  void setup() override {
    rig = std::make_unique<ClientRig>();
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen event_named(const std::string& method) {
    return rig->cloud.wait_for("/events", [method](const Seen& seen) { return seen.str("method") == method; });
  }
};

TEST(TypedEvent, PublishesTheStructsFieldsUnderItsMethod) {
  dock2::OtaProgressEvent event;
  event.result = 0;
  event.output.emplace();
  event.output->status = generated::shared::ProgressStatus::kInProgress;
  event.output->progress.emplace();
  event.output->progress->percent = 42;
  event.output->progress->current_step = generated::shared::OtaProgressEventOutputProgressCurrentStep::kUpgradeFirmware;
  CHECK_TRUE(publish_event(*rig->client, event).is_ok());

  Seen seen = event_named("ota_progress");
  STRCMP_EQUAL("ota_progress", seen.str("method").c_str());
  const rapidjson::Value& data = (*seen.json)["data"];
  LONGS_EQUAL(0, data["result"].GetInt());
  STRCMP_EQUAL("in_progress", data["output"]["status"].GetString());
  LONGS_EQUAL(42, data["output"]["progress"]["percent"].GetInt());
  STRCMP_EQUAL("upgrade_firmware", data["output"]["progress"]["current_step"].GetString());
}

TEST(TypedEvent, UnsetOptionalFieldsAreLeftOut) {
  dock2::OtaProgressEvent event;
  event.result = 316001;
  CHECK_TRUE(publish_event(*rig->client, event).is_ok());

  const rapidjson::Value& data = (*event_named("ota_progress").json)["data"];
  LONGS_EQUAL(316001, data["result"].GetInt());
  CHECK_FALSE(data.HasMember("output"));
}

TEST(TypedEvent, EventDataJsonIsTheStructAsJsonText) {
  generated::shared::DrcStatusNotifyEvent event;
  event.result = 7;
  STRCMP_EQUAL(R"({"result":7})", event_data_json(event).c_str());
}
