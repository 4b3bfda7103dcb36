// thing::set_property<Descriptor> (docklink/thing/typed_store.hpp): a PropertyStore written by generated descriptor,
// each value type in its JSON encoding (integers, integer enums, numbers, bools, text, structs and arrays through
// the generated to_json), still checked against the store's model. Booleans the model marks "wire": "int" are
// stored as 0/1 (docs/protocol.md#quirk-booleans).
#include <memory>
#include <string>

#include "docklink/generated/dock2_properties.hpp"
#include "docklink/generated/m3d_properties.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/typed_store.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
namespace gen = docklink::generated;
using Dock = gen::dock2::Properties;
using Aircraft = gen::m3d::Properties;

namespace {

std::shared_ptr<const thing::ThingModel> model(const char* key) {
  return std::make_shared<const thing::ThingModel>(thing::load_embedded(key).value());
}

std::string json_at(const thing::PropertyStore& store, const char* path) {
  auto value = store.get_json(path);
  return value ? value.value() : "<" + value.status().message() + ">";
}

}  // namespace

TEST_GROUP(ThingTypedStore) {
  thing::PropertyStore dock{model(gen::dock2::kModelKey)};
  thing::PropertyStore aircraft{model(gen::m3d::kModelKey)};
};

TEST(ThingTypedStore, EachValueTypeIsWrittenInItsJsonEncoding) {
  CHECK_TRUE(thing::set_property<Dock::JobNumber>(dock, 12).is_ok());
  CHECK_TRUE(thing::set_property<Dock::ModeCode>(dock, gen::dock2::ModeCode::kWorking).is_ok());
  CHECK_TRUE(thing::set_property<Dock::Humidity>(dock, 42.5).is_ok());
  CHECK_TRUE(thing::set_property<Dock::SubDevice::DeviceOnlineStatus>(dock, true).is_ok());
  CHECK_TRUE(thing::set_property<Dock::SubDevice::DeviceSn>(dock, "UAV-1").is_ok());
  gen::dock2::Storage storage;
  storage.total = 100;
  storage.used = 40;
  CHECK_TRUE(thing::set_property<Dock::Storage>(dock, storage).is_ok());
  STRCMP_EQUAL("12", json_at(dock, "job_number").c_str());
  STRCMP_EQUAL("4", json_at(dock, "mode_code").c_str());
  STRCMP_EQUAL("42.5", json_at(dock, "humidity").c_str());
  STRCMP_EQUAL("1", json_at(dock, "sub_device.device_online_status").c_str());  // the model's "wire": "int"
  STRCMP_EQUAL("\"UAV-1\"", json_at(dock, "sub_device.device_sn").c_str());
  STRCMP_EQUAL(R"({"total":100,"used":40})", json_at(dock, "storage").c_str());
}

TEST(ThingTypedStore, BooleansGoInAsTheModelSaysTheyTravel) {
  CHECK_TRUE(thing::set_property<Dock::SubDevice::DevicePaired>(dock, false).is_ok());
  CHECK_TRUE(thing::set_property<Dock::AirTransferEnable>(dock, true).is_ok());
  gen::dock2::BackupBattery battery;
  battery.switch_ = true;
  CHECK_TRUE(thing::set_property<Dock::BackupBattery>(dock, battery).is_ok());
  STRCMP_EQUAL("0", json_at(dock, "sub_device.device_paired").c_str());
  STRCMP_EQUAL("true", json_at(dock, "air_transfer_enable").c_str());  // DJI shows this one as true/false
  STRCMP_EQUAL(R"({"switch":1})", json_at(dock, "backup_battery").c_str());
}

TEST(ThingTypedStore, TheModelStillChecksTheValue) {
  Status out_of_range = thing::set_property<Aircraft::HeightLimit>(aircraft, 5);  // the model's minimum is 20
  CHECK_TRUE(out_of_range.code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(aircraft.has("height_limit"));
  Status other_product = thing::set_property<Aircraft::HeightLimit>(dock, 120);  // a dock has no height_limit
  CHECK_TRUE(other_product.code() == StatusCode::kNotFound);
  CHECK_TRUE(thing::set_property<Aircraft::HeightLimit>(aircraft, 120).is_ok());
  STRCMP_EQUAL("120", json_at(aircraft, "height_limit").c_str());
}
