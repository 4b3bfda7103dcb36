// dock-sim's dock OSD written into a PropertyStore by descriptor (dock_osd.cpp): for every dock product every value
// fits the product's thing model, every OSD property of the model is reported (but the ones the simulator does not
// play), the three groups split as the model's osd_group says, and the wire encoding is the docks' (booleans as
// 0/1, enums as integers, numbers rounded as the OSD shows them).
#include <memory>
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "dock_osd.hpp"
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

// The dock's OSD properties the simulator does not play.
const std::set<std::string> kNotSimulated = {"self_converge_coordinate"};

struct DockOsd {
  std::shared_ptr<const thing::ThingModel> model;
  std::unique_ptr<thing::PropertyStore> store;
  int failures = 0;
  std::string first_failure;
};

DockOsd write(const char* product_name, const DockState& state) {
  const sim::Product* product = sim::find_product(product_name);
  DockOsd osd;
  osd.model = std::make_shared<const thing::ThingModel>(thing::load_embedded(product->dock_model_key).value());
  osd.store = std::make_unique<thing::PropertyStore>(osd.model);
  StoreWriter writer(*osd.store);
  sim::write_dock_osd(writer, state, *product, "AIRCRAFT-SN");
  osd.failures = writer.failures();
  osd.first_failure = writer.first_failure();
  return osd;
}

rapidjson::Document group(const DockOsd& osd, int index) {
  std::string json;
  CHECK_TRUE(osd.store->compose_osd(index, json).is_ok());
  rapidjson::Document document;
  document.Parse(json.c_str());
  return document;
}

}  // namespace

TEST_GROUP(SimDockOsd){};

TEST(SimDockOsd, EveryOsdPropertyOfEachDockModelIsReportedInItsGroup) {
  for (const char* name : {"dock1", "dock2", "dock3"}) {
    DockOsd osd = write(name, DockState{});
    LONGS_EQUAL_TEXT(0, osd.failures, osd.first_failure.c_str());
    for (const auto& [property, def] : osd.model->properties()) {
      if (def.push != thing::PushMode::kOsd || kNotSimulated.count(property) != 0) continue;
      std::string where = std::string(name) + " " + property;
      CHECK_TEXT(group(osd, def.osd_group).HasMember(property.c_str()), where.c_str());
    }
  }
}

TEST(SimDockOsd, ProductsReportWhatTheirModelsHave) {
  DockOsd dock1 = write("dock1", DockState{});
  CHECK_TRUE(group(dock1, 0).HasMember("electric_supply_voltage"));
  CHECK_TRUE(group(dock1, 2).HasMember("putter_state"));
  CHECK_FALSE(group(dock1, 2).HasMember("heading"));
  DockOsd dock2 = write("dock2", DockState{});
  CHECK_FALSE(group(dock2, 2).HasMember("putter_state"));
  CHECK_TRUE(group(dock2, 2).HasMember("home_position_is_valid"));
}

TEST(SimDockOsd, ValuesComeFromTheStateInTheDocksEncoding) {
  DockState state;
  state.mode_code = sim::DockMode::kWorking;
  state.drone_powered = false;
  state.drone_in_dock = false;
  state.wind_speed = 3.46;
  state.job_number = 12;
  DockOsd osd = write("dock2", state);
  LONGS_EQUAL_TEXT(0, osd.failures, osd.first_failure.c_str());
  rapidjson::Document links = group(osd, 1);
  rapidjson::Document dock = group(osd, 2);
  LONGS_EQUAL(12, group(osd, 0)["job_number"].GetInt());
  LONGS_EQUAL(4, dock["mode_code"].GetInt());
  LONGS_EQUAL(0, dock["drone_in_dock"].GetInt());
  CHECK_TRUE(dock["sub_device"]["device_online_status"].IsInt());  // 0/1, as docks send booleans
  LONGS_EQUAL(0, dock["sub_device"]["device_online_status"].GetInt());
  STRCMP_EQUAL("AIRCRAFT-SN", dock["sub_device"]["device_sn"].GetString());
  LONGS_EQUAL(0, links["wireless_link"]["sdr_link_state"].GetInt());
  DOUBLES_EQUAL(3.5, dock["wind_speed"].GetDouble(), 1e-12);  // rounded to one place
  LONGS_EQUAL(1, dock["alternate_land_point"]["is_configured"].GetInt());
}
