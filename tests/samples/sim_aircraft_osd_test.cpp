// dock-sim's aircraft OSD written into a PropertyStore by descriptor (aircraft_osd.cpp): for every dock's aircraft
// every value fits the aircraft's thing model, the OSD properties the simulator plays are all reported, the camera
// under the product's payload index, and the values are the state's in the aircraft's encoding.
#include <memory>
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "aircraft_osd.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"
#include "product.hpp"
#include "store_writer.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::sim::DockState;
using docklink::sim::StoreWriter;

namespace {

// The aircraft's OSD properties the simulator does not play.
const std::set<std::string> kNotSimulated = {"maintain_status", "cameras", "country", "rid_state"};

struct AircraftOsd {
  const sim::Product* product = nullptr;
  std::shared_ptr<const thing::ThingModel> model;
  int failures = 0;
  std::string first_failure;
  rapidjson::Document json;
};

AircraftOsd write(const char* product_name, const DockState& state) {
  AircraftOsd osd;
  osd.product = sim::find_product(product_name);
  osd.model = std::make_shared<const thing::ThingModel>(thing::load_embedded(osd.product->aircraft_model_key).value());
  thing::PropertyStore store(osd.model);
  StoreWriter writer(store);
  sim::write_aircraft_osd(writer, state, *osd.product, "UAV-SN");
  osd.failures = writer.failures();
  osd.first_failure = writer.first_failure();
  std::string text;
  CHECK_TRUE(store.compose_osd(0, text).is_ok());
  osd.json.Parse(text.c_str());
  return osd;
}

}  // namespace

TEST_GROUP(SimAircraftOsd){};

TEST(SimAircraftOsd, EveryOsdPropertyTheSimulatorPlaysIsReported) {
  for (const char* name : {"dock1", "dock2", "dock3"}) {
    AircraftOsd osd = write(name, DockState{});
    LONGS_EQUAL_TEXT(0, osd.failures, osd.first_failure.c_str());
    for (const auto& [property, def] : osd.model->properties()) {
      if (def.push != thing::PushMode::kOsd || kNotSimulated.count(property) != 0) continue;
      CHECK_TEXT(osd.json.HasMember(property.c_str()), (std::string(name) + " " + property).c_str());
    }
    STRCMP_EQUAL(osd.product->payload_index, osd.json[osd.product->payload_index]["payload_index"].GetString());
  }
}

TEST(SimAircraftOsd, ValuesComeFromTheStateInTheAircraftsEncoding) {
  DockState state;
  state.height_limit = 250;
  state.obstacle_upside = 0;
  state.drone_battery = 61.7;
  state.rc_lost_action = 1;
  AircraftOsd m30 = write("dock1", state);
  LONGS_EQUAL_TEXT(0, m30.failures, m30.first_failure.c_str());
  LONGS_EQUAL(250, m30.json["height_limit"].GetInt());
  LONGS_EQUAL(0, m30.json["obstacle_avoidance"]["upside"].GetInt());
  LONGS_EQUAL(61, m30.json["battery"]["capacity_percent"].GetInt());
  STRCMP_EQUAL("UAV-SN-B0", m30.json["battery"]["batteries"][0]["sn"].GetString());
  LONGS_EQUAL(1, m30.json["rc_lost_action"].GetInt());  // the M30's model has it
  AircraftOsd m3d = write("dock2", state);
  CHECK_FALSE(m3d.json.HasMember("rc_lost_action"));
}
