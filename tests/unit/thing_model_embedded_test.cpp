// The embedded thing models are minified and lose their documentation members (scripts/embed_thing_models.py):
// every model must still load exactly as from its pretty file.
#include <fstream>
#include <sstream>
#include <string>

#include "docklink/thing/embedded.hpp"
#include "docklink/thing/thing_model.hpp"

#include <CppUTest/TestHarness.h>

using docklink::thing::ThingModel;
using docklink::thing::TypeSpec;

namespace {

std::string models_dir() {
  std::string path = __FILE__;  // tests/unit/thing_model_embedded_test.cpp
  for (int i = 0; i < 3; ++i) path = path.substr(0, path.find_last_of('/'));
  return path + "/thing_models";
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Everything ThingModel::parse keeps of a type spec, as text, so two models compare with one string equality.
void describe(const TypeSpec& spec, std::ostream& out) {
  out << '{' << spec.name << ' ' << to_string(spec.type) << ' ' << spec.unit << ' ' << static_cast<int>(spec.access);
  if (spec.has_min) out << " min " << spec.min;
  if (spec.has_max) out << " max " << spec.max;
  for (const auto value : spec.int_values) out << " =" << value;
  for (const auto& value : spec.text_values) out << " =" << value;
  out << ' ' << spec.max_length << ' ' << spec.max_items << (spec.closed ? " closed" : "");
  for (const auto& name : spec.required) out << " !" << name;
  for (const auto& field : spec.fields) describe(field, out);
  for (const auto& element : spec.element) describe(element, out);
  out << '}';
}

std::string describe(const ThingModel& model) {
  std::ostringstream out;
  out << model.model_key() << '|' << model.product() << '|' << model.thing_version() << '|' << model.is_dock()
      << model.osd_group_count() << '\n';
  for (const auto& [name, def] : model.properties()) {
    out << "property " << name << ' ' << static_cast<int>(def.push) << static_cast<int>(def.access) << def.osd_group
        << def.state_group;
    describe(def.type, out);
    out << '\n';
  }
  for (const auto& [method, def] : model.services()) {
    out << "service " << method << ' ' << def.is_job << def.has_params << def.has_reply << def.progress_event;
    for (const auto& step : def.step_keys) out << ' ' << step;
    describe(def.params, out);
    describe(def.reply, out);
    out << '\n';
  }
  for (const auto& [method, def] : model.events()) {
    out << "event " << method << ' ' << def.need_reply;
    describe(def.data, out);
    out << '\n';
  }
  for (const auto& [method, def] : model.requests()) {
    out << "request " << method;
    describe(def.params, out);
    describe(def.reply, out);
    out << '\n';
  }
  out << "drc heartbeat " << model.drc_heartbeat_timeout_s() << '\n';
  for (const auto* methods : {&model.drc_down_methods(), &model.drc_up_methods()}) {
    for (const auto& [method, def] : *methods) {
      out << "drc " << method << ' ' << def.seq_required << def.has_data << def.has_reply << def.reply_has_result;
      describe(def.data, out);
      describe(def.reply, out);
      out << '\n';
    }
  }
  return out.str();
}

}  // namespace

TEST_GROUP(ThingModelEmbedded){};

TEST(ThingModelEmbedded, EveryModelLoadsAsFromItsPrettyFile) {
  const std::string dir = models_dir();
  for (const std::string& key : docklink::thing::embedded_model_keys()) {
    const auto embedded = docklink::thing::load_embedded(key);
    const auto from_file = docklink::thing::load_file(dir + "/" + key + ".json", dir);
    CHECK_TEXT(embedded.is_ok(), embedded.status().to_string().c_str());
    CHECK_TEXT(from_file.is_ok(), from_file.status().to_string().c_str());
    const std::string expected = describe(from_file.value());
    CHECK_TEXT(expected.size() > 1000, key.c_str());
    STRCMP_EQUAL_TEXT(expected.c_str(), describe(embedded.value()).c_str(), key.c_str());
  }
}

TEST(ThingModelEmbedded, FilesAreMinifiedWithoutNotes) {
  const std::string dir = models_dir();
  for (const char* path : {"common/dock_base.json", "common/aircraft_base.json", "3-3-0.json"}) {
    const std::string_view embedded = docklink::thing::embedded_file(path);
    const std::string pretty = file_text(dir + "/" + path);
    CHECK_TEXT(pretty.find("\"note\"") != std::string::npos, path);  // the source documents itself
    CHECK_TEXT(embedded.find("\"note\"") == std::string_view::npos, path);
    CHECK_TEXT(embedded.find('\n') == std::string_view::npos, path);
    CHECK_TEXT(embedded.size() < pretty.size() * 9 / 10, path);
  }
}
