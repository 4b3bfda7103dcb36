// The property descriptors scripts/thing_codegen.py generates (docklink/generated/<product>_properties.hpp): each
// names a property's (or a struct property's field's) path, C++ value type, access and push mode, and for every
// product every descriptor agrees with the product's embedded thing model: the path exists, access and push mode
// are the model's, and the model's sample value at the path decodes into the descriptor's Value type and, written
// back from it, is accepted there by a PropertyStore of that model.
#include <memory>
#include <set>
#include <string>
#include <type_traits>

#include <rapidjson/document.h>

#include "docklink/generated/all.hpp"
#include "docklink/generated/samples.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
namespace gen = docklink::generated;

namespace {

// The access the model gives the leaf at `path` ("prop" or "prop.field"): a field inherits its property's.
bool model_writable(const thing::PropertyDef& property, const std::string& path) {
  bool writable = property.access == thing::Access::kReadWrite;
  auto dot = path.find('.');
  if (dot == std::string::npos) return writable;
  const thing::TypeSpec* field = property.type.find_field(path.substr(dot + 1));
  if (field == nullptr || field->access == thing::Access::kInherit) return writable;
  return field->access == thing::Access::kReadWrite;
}

// Sample values of every property of a product, in range (samples.hpp fills the generated Osd and State structs
// with values inside the model's min/max), as one JSON object.
template <class Osd, class State>
rapidjson::Document product_sample() {
  Osd osd;
  State state;
  using gen::shared::fill_sample;
  fill_sample(osd);
  fill_sample(state);
  rapidjson::Document document;
  document.Parse(gen::to_json_string(osd).c_str());
  rapidjson::Document state_json;
  state_json.Parse(gen::to_json_string(state).c_str());
  for (auto& member : state_json.GetObject()) {
    document.AddMember(rapidjson::Value(member.name, document.GetAllocator()),
                       rapidjson::Value(member.value, document.GetAllocator()), document.GetAllocator());
  }
  return document;
}

// The sample at `path` ("prop" or "prop.field"), or nullptr.
const rapidjson::Value* sample_at(const rapidjson::Value& sample, const std::string& path) {
  auto dot = path.find('.');
  auto property = sample.FindMember(path.substr(0, dot).c_str());
  if (property == sample.MemberEnd()) return nullptr;
  if (dot == std::string::npos) return &property->value;
  auto field = property->value.FindMember(path.substr(dot + 1).c_str());
  return field == property->value.MemberEnd() ? nullptr : &field->value;
}

// Checks every descriptor of one product's Properties against its model: the path is the model's, access and push
// mode are, and the sample value at the path decodes into Descriptor::Value and, written back from it, is a value
// the model accepts there. Returns how many descriptors were visited.
template <class Properties, class Osd, class State>
int check_product(const char* model_key) {
  auto model = std::make_shared<const thing::ThingModel>(thing::load_embedded(model_key).value());
  rapidjson::Document sample = product_sample<Osd, State>();
  int visited = 0;
  std::set<std::string> paths;
  Properties::for_each([&](auto descriptor) {
    using Descriptor = decltype(descriptor);
    std::string path = Descriptor::kPath;
    std::string where = std::string(model_key) + " " + path;
    ++visited;
    CHECK_TEXT(paths.insert(path).second, where.c_str());
    const thing::PropertyDef* property = model->property(path.substr(0, path.find('.')));
    CHECK_TEXT(property != nullptr, where.c_str());
    CHECK_EQUAL_TEXT(model_writable(*property, path), Descriptor::kWritable, where.c_str());
    CHECK_EQUAL_TEXT(property->push == thing::PushMode::kState, Descriptor::kState, where.c_str());
    const rapidjson::Value* json = sample_at(sample, path);
    CHECK_TEXT(json != nullptr, where.c_str());
    typename Descriptor::Value value{};
    std::string error;
    using gen::from_json;
    CHECK_TEXT(from_json(*json, value, &error), (where + ": " + error).c_str());
    thing::PropertyStore store(model);
    Status accepted = store.set_json(path, gen::to_json_string(value));
    CHECK_TEXT(accepted.is_ok(), (where + ": " + accepted.message()).c_str());
  });
  LONGS_EQUAL(Properties::kCount, visited);
  return visited;
}

}  // namespace

TEST_GROUP(PropertyDescriptors){};

TEST(PropertyDescriptors, NameThePathTypeAccessAndPushModeOfAProperty) {
  using SilentMode = gen::dock2::Properties::SilentMode;
  static_assert(std::is_same_v<SilentMode::Value, gen::dock2::SilentMode>);
  STRCMP_EQUAL("silent_mode", SilentMode::kPath);
  CHECK_TRUE(SilentMode::kWritable);
  CHECK_TRUE(SilentMode::kState);

  using HeightLimit = gen::m3d::Properties::HeightLimit;
  static_assert(std::is_same_v<HeightLimit::Value, std::int64_t>);
  STRCMP_EQUAL("height_limit", HeightLimit::kPath);
  CHECK_TRUE(HeightLimit::kWritable);
  CHECK_FALSE(HeightLimit::kState);

  static_assert(std::is_same_v<gen::m3d::Properties::CommanderFlightHeight::Value, double>);
  static_assert(std::is_same_v<gen::dock3::Properties::AirTransferEnable::Value, bool>);
  CHECK_FALSE(gen::dock2::Properties::ModeCode::kWritable);
}

TEST(PropertyDescriptors, AStructPropertyHasADescriptorPerField) {
  using Obstacles = gen::m3d::Properties::ObstacleAvoidance;
  static_assert(std::is_same_v<Obstacles::Value, gen::m3d::ObstacleAvoidance>);
  STRCMP_EQUAL("obstacle_avoidance.horizon", Obstacles::Horizon::kPath);
  static_assert(std::is_same_v<Obstacles::Horizon::Value, gen::m3d::OffOn>);
  CHECK_TRUE(Obstacles::Horizon::kWritable);

  // A field the model makes read-only inside a writable property.
  using Limit = gen::m3d::Properties::DistanceLimitStatus;
  CHECK_TRUE(Limit::DistanceLimit::kWritable);
  CHECK_FALSE(Limit::IsNearDistanceLimit::kWritable);

  STRCMP_EQUAL("camera_watermark_settings.user_custom_string",
               gen::m3d::Properties::CameraWatermarkSettings::UserCustomString::kPath);
  static_assert(std::is_same_v<gen::m3d::Properties::CameraWatermarkSettings::UserCustomString::Value, std::string>);
}

TEST(PropertyDescriptors, ProductsDifferAsTheirModelsDo) {
  STRCMP_EQUAL("rc_lost_action", gen::m30::Properties::RcLostAction::kPath);  // Dock 1's aircraft only
  STRCMP_EQUAL("putter_state", gen::dock1::Properties::PutterState::kPath);   // Dock 1 only
  STRCMP_EQUAL("commander_flight_mode", gen::m3d::Properties::CommanderFlightMode::kPath);
}

TEST(PropertyDescriptors, EveryDescriptorOfEveryProductAgreesWithItsModel) {
  CHECK((check_product<gen::dock1::Properties, gen::dock1::Osd, gen::dock1::State>(gen::dock1::kModelKey) > 50));
  CHECK((check_product<gen::dock2::Properties, gen::dock2::Osd, gen::dock2::State>(gen::dock2::kModelKey) > 50));
  CHECK((check_product<gen::dock3::Properties, gen::dock3::Osd, gen::dock3::State>(gen::dock3::kModelKey) > 50));
  CHECK((check_product<gen::m30::Properties, gen::m30::Osd, gen::m30::State>(gen::m30::kModelKey) > 30));
  CHECK((check_product<gen::m30t::Properties, gen::m30t::Osd, gen::m30t::State>(gen::m30t::kModelKey) > 30));
  CHECK((check_product<gen::m3d::Properties, gen::m3d::Osd, gen::m3d::State>(gen::m3d::kModelKey) > 30));
  CHECK((check_product<gen::m3td::Properties, gen::m3td::Osd, gen::m3td::State>(gen::m3td::kModelKey) > 30));
  CHECK((check_product<gen::m4d::Properties, gen::m4d::Osd, gen::m4d::State>(gen::m4d::kModelKey) > 30));
  CHECK((check_product<gen::m4td::Properties, gen::m4td::Osd, gen::m4td::State>(gen::m4td::kModelKey) > 30));
}
