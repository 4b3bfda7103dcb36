// Every generated thing-model type survives JSON: default values and fully filled samples (samples.hpp fills
// every optional field, two elements per array and the last value of every enum) encode and decode unchanged.
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/generated/all.hpp"
#include "docklink/generated/samples.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::generated;

namespace {

/// Encodes `value`, decodes the text into a fresh T and says what differs ("" when nothing).
template <class T>
std::string round_trip_problem(const T& value) {
  std::string json = to_json_string(value);
  T decoded{};
  std::string error;
  if (!from_json_string(json, decoded, &error)) return "does not decode (" + error + "): " + json;
  if (decoded != value) return "decodes to a different value: " + json;
  if (to_json_string(decoded) != json) return "re-encodes differently: " + json;
  return {};
}

/// Sets every property of a filled Osd and State sample of the product in a PropertyStore of its model, which
/// checks each value against the model; returns the first refusal ("" when all fit).
template <class Osd, class State>
std::string model_refusal(const char* model_key) {
  auto model = docklink::thing::load_embedded(model_key);
  if (!model.is_ok()) return std::string(model_key) + ": not embedded";
  docklink::thing::PropertyStore store(std::make_shared<const docklink::thing::ThingModel>(std::move(model).value()));
  Osd osd;
  State state;
  shared::fill_sample(osd);
  shared::fill_sample(state);
  for (const std::string& json : {to_json_string(osd), to_json_string(state)}) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    for (auto member = document.MemberBegin(); member != document.MemberEnd(); ++member) {
      if (!store.set(member->name.GetString(), member->value)) {
        return std::string(model_key) + " refuses " + member->name.GetString();
      }
    }
    if (document.MemberCount() == 0 && json != "{}") return std::string(model_key) + ": not an object";
  }
  return {};
}

}  // namespace

TEST_GROUP(CodegenRoundTrip){};

TEST(CodegenRoundTrip, PropertySamplesOfEveryProductAreAcceptedByItsModel) {
  STRCMP_EQUAL("", (model_refusal<dock1::Osd, dock1::State>(dock1::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<dock2::Osd, dock2::State>(dock2::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<dock3::Osd, dock3::State>(dock3::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m30::Osd, m30::State>(m30::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m30t::Osd, m30t::State>(m30t::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m3d::Osd, m3d::State>(m3d::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m3td::Osd, m3td::State>(m3td::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m4d::Osd, m4d::State>(m4d::kModelKey)).c_str());
  STRCMP_EQUAL("", (model_refusal<m4td::Osd, m4td::State>(m4td::kModelKey)).c_str());
}

TEST(CodegenRoundTrip, EveryGeneratedTypeRoundTripsWithDefaultAndSampleValues) {
  int visited = 0;
  std::vector<std::string> problems;
  shared::for_each_generated_type([&](const char* name, const auto& default_value, const auto& sample, bool) {
    ++visited;
    std::string problem = round_trip_problem(default_value);
    if (!problem.empty()) problems.push_back(std::string(name) + " default " + problem);
    problem = round_trip_problem(sample);
    if (!problem.empty()) problems.push_back(std::string(name) + " sample " + problem);
  });
  LONGS_EQUAL(shared::kGeneratedTypeCount, visited);
  CHECK(visited > 300);  // every product's enums and structs, not a handful
  STRCMP_EQUAL("", problems.empty() ? "" : problems.front().c_str());
}

TEST(CodegenRoundTrip, SamplesDifferFromDefaultsSoTheRoundTripSeesEveryField) {
  int same = 0;
  std::string first_same;
  shared::for_each_generated_type(
      [&](const char* name, const auto& default_value, const auto& sample, bool sample_can_differ) {
        if (sample_can_differ && default_value == sample) {
          if (same++ == 0) first_same = name;
        }
      });
  STRCMP_EQUAL("", first_same.c_str());
}

TEST(CodegenRoundTrip, ProductNamespacesNameTheModelsTypes) {
  dock2::Osd osd;
  osd.cover_state = dock2::CoverState::kOpen;
  osd.drone_in_dock = dock2::DroneInDock::kInside;
  osd.wind_speed = 3.5;
  STRCMP_EQUAL(R"({"drone_in_dock":1,"wind_speed":3.5,"cover_state":1})", to_json_string(osd).c_str());
  STRCMP_EQUAL("3-2-0", dock2::kModelKey);
  STRCMP_EQUAL("cover_open", dock2::CoverOpen::kMethod);
  STRCMP_EQUAL("flighttask_prepare", dock2::FlighttaskPrepare::kMethod);
  STRCMP_EQUAL("hms", dock2::HmsEvent::kMethod);
  STRCMP_EQUAL("config", dock2::ConfigRequest::kMethod);
  STRCMP_EQUAL("0-91-1", m3td::kModelKey);
}

TEST(CodegenRoundTrip, TextEnumsUseTheProtocolSpelling) {
  dock2::LiveLensChange change;
  change.video_id = "1581F5BMD2323001/39-0-7/normal-0";
  change.video_type = dock2::LiveLensChangeVideoType::kIr;
  STRCMP_EQUAL(R"({"video_id":"1581F5BMD2323001/39-0-7/normal-0","video_type":"ir"})", to_json_string(change).c_str());
}

TEST(CodegenRoundTrip, UnsetOptionalFieldsAreLeftOut) {
  dock2::Osd osd;
  STRCMP_EQUAL("{}", to_json_string(osd).c_str());
  dock2::State state;
  state.air_transfer_enable = true;
  STRCMP_EQUAL(R"({"air_transfer_enable":true})", to_json_string(state).c_str());
}
