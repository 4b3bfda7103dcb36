// value_conforms() (the allocation-free check drc/down runs at 10+ Hz) must agree with validate_value() (the
// check that explains a refusal) on every type spec of every dock model, for values of every JSON kind.
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"
#include "value_conforms.hpp"

#include <CppUTest/TestHarness.h>

using docklink::thing::ThingModel;
using docklink::thing::TypeSpec;

namespace {

// Values of every kind, at and beyond the bounds the models use (stick 364..1684, speeds, percent, enums).
const char* const kProbes[] = {"null",
                               "true",
                               "false",
                               "0",
                               "1",
                               "2",
                               "-1",
                               "364",
                               "363",
                               "1684",
                               "1685",
                               "1024",
                               "1024.5",
                               "-17",
                               "17.5",
                               "1e308",
                               "-0.5",
                               "-4",
                               "5",
                               "-90",
                               "90.0",
                               "100",
                               "101",
                               "18446744073709551615",
                               "\"\"",
                               "\"zoom\"",
                               "\"1024\"",
                               "\"in_progress\"",
                               "[]",
                               "[1,2,3]",
                               "[60000,60000]",
                               "[\"a\"]",
                               "{}",
                               "{\"x\":1}",
                               R"({"roll":1024,"pitch":1024,"throttle":1024,"yaw":1024})",
                               R"({"roll":2000,"pitch":1024,"throttle":1024,"yaw":1024})",
                               R"({"seq":1,"x":2,"y":0,"h":0,"w":0})",
                               R"({"seq":1,"x":2,"y":0,"h":6,"w":0})",
                               R"({"timestamp":5})",
                               R"({"action":1})",
                               R"({"action":1,"extra":2})",
                               R"({"payload_index":"80-0-0"})",
                               R"({"result":0})"};

void collect(const TypeSpec& spec, std::vector<const TypeSpec*>& out) {
  out.push_back(&spec);
  for (const TypeSpec& field : spec.fields) collect(field, out);
  for (const TypeSpec& element : spec.element) collect(element, out);
}

std::vector<const TypeSpec*> every_spec(const ThingModel& model) {
  std::vector<const TypeSpec*> out;
  for (const auto* methods : {&model.drc_down_methods(), &model.drc_up_methods()}) {
    for (const auto& [method, def] : *methods) {
      collect(def.data, out);
      collect(def.reply, out);
    }
  }
  for (const auto& [method, def] : model.services()) collect(def.params, out);
  for (const auto& [name, def] : model.properties()) collect(def.type, out);
  return out;
}

}  // namespace

TEST_GROUP(DrcValueConforms){};

TEST(DrcValueConforms, AgreesWithValidateValueOnEveryDockSpec) {
  std::vector<rapidjson::Document> probes(sizeof(kProbes) / sizeof(kProbes[0]));
  for (std::size_t i = 0; i < probes.size(); ++i) {
    probes[i].Parse(kProbes[i]);
    CHECK_TEXT(!probes[i].HasParseError(), kProbes[i]);
  }
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const char* key : {"3-1-0", "3-2-0", "3-3-0"}) {
    auto model = docklink::thing::load_embedded(key);
    CHECK_TRUE(model.is_ok());
    for (const TypeSpec* spec : every_spec(model.value())) {
      for (std::size_t i = 0; i < probes.size(); ++i) {
        const bool full = docklink::thing::validate_value(*spec, probes[i], "v").ok();
        const bool fast = docklink::detail::value_conforms(*spec, probes[i]);
        if (full != fast) FAIL((std::string(key) + " spec '" + spec->name + "' on " + kProbes[i]).c_str());
        (full ? passed : failed) += 1;
      }
    }
  }
  // Both outcomes were exercised many times, so the agreement means something.
  CHECK(passed > 1000);
  CHECK(failed > 1000);
}
