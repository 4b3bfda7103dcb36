// dock-sim accepts a property/set of every rw property of its products' thing models (dock and aircraft) and
// reflects the new value in the next OSD or state message of the device that owns the property
// (docs/protocol.md#property-set).
#include <algorithm>
#include <cmath>

#include "sim_test_support.hpp"
// Before CppUTest, whose operator new macros break RapidJSON's Writer.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/thing/thing_model.hpp"

#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;
using docklink::TopicKind;
using docklink::thing::Access;
using docklink::thing::PushMode;
using docklink::thing::ThingModel;
using docklink::thing::TypeSpec;
using docklink::thing::ValueType;

namespace {

/// One writable leaf of a property: what property/set addresses with a nested object.
struct WritableLeaf {
  std::string path;                         ///< "height_limit", "obstacle_avoidance.horizon".
  const TypeSpec* spec = nullptr;           ///< The leaf's schema (owned by the model).
  TopicKind reported_in = TopicKind::kOsd;  ///< osd or state, from the top-level property.
  std::string owner_sn;                     ///< Dock or aircraft SN.
};

// Walks a property's schema: a struct with fields is descended into (the demo cloud sets one field per message);
// anything else is a leaf, writable when its effective access is rw.
void collect_leaves(const TypeSpec& spec, Access inherited, const std::string& path, const WritableLeaf& base,
                    std::vector<WritableLeaf>& out) {
  Access access = spec.access == Access::kInherit ? inherited : spec.access;
  if (spec.type == ValueType::kStruct && !spec.fields.empty()) {
    for (const TypeSpec& field : spec.fields) collect_leaves(field, access, path + "." + field.name, base, out);
    return;
  }
  if (access != Access::kReadWrite) return;
  WritableLeaf leaf = base;
  leaf.path = path;
  leaf.spec = &spec;
  out.push_back(leaf);
}

std::vector<WritableLeaf> writable_leaves(const ThingModel& model, const std::string& owner_sn) {
  std::vector<WritableLeaf> leaves;
  for (const auto& entry : model.properties()) {
    const docklink::thing::PropertyDef& property = entry.second;
    WritableLeaf base;
    base.reported_in = property.push == PushMode::kState ? TopicKind::kState : TopicKind::kOsd;
    base.owner_sn = owner_sn;
    collect_leaves(property.type, property.access, property.name, base, leaves);
  }
  return leaves;
}

bool truthy(const rapidjson::Value& value) {
  return value.IsBool() ? value.GetBool() : value.IsNumber() && value.GetDouble() != 0;
}

// A valid value for `spec` other than `current` (rapidjson::Value with the allocator of `out`).
void different_value(const TypeSpec& spec, const rapidjson::Value& current, rapidjson::Document& out) {
  auto& allocator = out.GetAllocator();
  switch (spec.type) {
    case ValueType::kBool:
      out.SetBool(!truthy(current));
      return;
    case ValueType::kEnum:
      if (spec.text_enum) {
        for (const std::string& text : spec.text_values) {
          if (!current.IsString() || text != current.GetString()) {
            out.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
            return;
          }
        }
      }
      for (std::int64_t number : spec.int_values) {
        if (!current.IsInt64() || number != current.GetInt64()) {
          out.SetInt64(number);
          return;
        }
      }
      break;
    case ValueType::kInt: {
      std::int64_t now = current.IsInt64() ? current.GetInt64() : 0;
      std::int64_t value =
          spec.has_min && spec.has_max ? static_cast<std::int64_t>((spec.min + spec.max) / 2) : now + 1;
      if (value == now) value = spec.has_min ? static_cast<std::int64_t>(spec.min) : now - 1;
      out.SetInt64(value);
      return;
    }
    case ValueType::kFloat:
    case ValueType::kDouble: {
      // Fractional on purpose: a double property must not be rounded to an integer on the way.
      double now = current.IsNumber() ? current.GetDouble() : 0;
      double value = spec.has_min && spec.has_max ? (spec.min + spec.max) / 2 + 0.5 : now + 1.5;
      if (std::fabs(value - now) < 0.01) value = spec.min;
      out.SetDouble(value);
      return;
    }
    case ValueType::kText: {
      std::string text = "docklink-test";
      if (current.IsString() && text == current.GetString()) text += "-2";
      out.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
      return;
    }
    default:
      break;
  }
  out.SetNull();  // no writable value: the caller fails the test
}

// A value the model refuses for `spec`: one past its range or enum values, 2 for a bool. False for text (the
// watermark's custom string has no model limit) and anything else without a bound.
bool out_of_range_value(const TypeSpec& spec, rapidjson::Document& out) {
  switch (spec.type) {
    case ValueType::kBool:
      out.SetInt64(2);
      return true;
    case ValueType::kEnum:
      if (spec.text_enum || spec.int_values.empty()) return false;
      out.SetInt64(*std::max_element(spec.int_values.begin(), spec.int_values.end()) + 1);
      return true;
    case ValueType::kInt:
      if (!spec.has_max) return false;
      out.SetInt64(static_cast<std::int64_t>(spec.max) + 1);
      return true;
    case ValueType::kFloat:
    case ValueType::kDouble:
      if (!spec.has_max) return false;
      out.SetDouble(spec.max + 0.5);
      return true;
    default:
      return false;
  }
}

bool same_value(const rapidjson::Value& seen, const rapidjson::Value& wanted) {
  if (wanted.IsBool()) return (seen.IsBool() || seen.IsNumber()) && truthy(seen) == wanted.GetBool();
  if (wanted.IsNumber()) return seen.IsNumber() && std::fabs(seen.GetDouble() - wanted.GetDouble()) < 0.01;
  if (wanted.IsString()) return seen.IsString() && std::string(seen.GetString()) == wanted.GetString();
  return false;
}

std::string to_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// {"a":{"b":<value>}} for path "a.b".
std::string nested_set(const std::string& path, const std::string& value_json) {
  std::string open, close;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = path.find('.', start);
    open += "{\"" + path.substr(start, dot == std::string::npos ? std::string::npos : dot - start) + "\":";
    close += "}";
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return open + value_json + close;
}

bool reports(const Seen& seen, const WritableLeaf& leaf) {
  return seen.kind == leaf.reported_in && seen.sn == leaf.owner_sn && data_at(seen, leaf.path) != nullptr;
}

// Each test starts a dock of its own product.
class PropertyCoverageGroup : public SimSessionGroup {
 protected:
  // Sets every rw leaf of the product's dock and aircraft models to another value, all sets back to back, and
  // checks each reply and the value reported afterwards.
  void set_every_writable_property(const char* product, const char* dock_model_key, const char* aircraft_model_key,
                                   std::size_t expected_leaves) {
    auto dock_model = docklink::thing::load_embedded(dock_model_key);
    auto aircraft_model = docklink::thing::load_embedded(aircraft_model_key);
    CHECK_TRUE_TEXT(dock_model.is_ok(), dock_model_key);
    CHECK_TRUE_TEXT(aircraft_model.is_ok(), aircraft_model_key);
    std::vector<WritableLeaf> leaves = writable_leaves(dock_model.value(), kSn);
    for (const WritableLeaf& leaf : writable_leaves(aircraft_model.value(), kAircraft)) leaves.push_back(leaf);
    // A model change that adds or drops rw properties shows here first.
    LONGS_EQUAL(expected_leaves, leaves.size());

    start_session({"--model", product, "--speed", "50", "--osd-period-ms", "200"});
    TestCloud& cloud = session->cloud();

    // The cloud learns every current value before it changes one: OSD periodically, state at connect.
    std::vector<rapidjson::Document> wanted(leaves.size());
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const WritableLeaf& leaf = leaves[i];
      CHECK_TRUE_TEXT(cloud.wait_for([&](const Seen& seen) { return reports(seen, leaf); }).json != nullptr,
                      ("never reported: " + leaf.path).c_str());
      Seen latest = cloud.all([&](const Seen& seen) { return reports(seen, leaf); }).back();
      different_value(*leaf.spec, *data_at(latest, leaf.path), wanted[i]);
      CHECK_FALSE_TEXT(wanted[i].IsNull(), ("no writable value for " + leaf.path).c_str());
    }

    std::vector<std::string> tids;
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      tids.push_back(cloud.send(TopicKind::kPropertySet, kSn, "", nested_set(leaves[i].path, to_text(wanted[i]))));
    }
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      Seen reply = cloud.wait_for(
          [&](const Seen& seen) { return seen.kind == TopicKind::kPropertySetReply && seen.str("tid") == tids[i]; });
      CHECK_TRUE_TEXT(reply.json != nullptr, ("no reply for " + leaves[i].path).c_str());
      LONGS_EQUAL_TEXT(0, int_in(reply, leaves[i].path + ".result"), leaves[i].path.c_str());
    }
    // Each value differs from what was reported before the sets, so a match can only be a later message.
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const WritableLeaf& leaf = leaves[i];
      Seen changed = cloud.wait_for(
          [&](const Seen& seen) { return reports(seen, leaf) && same_value(*data_at(seen, leaf.path), wanted[i]); });
      CHECK_TRUE_TEXT(changed.json != nullptr, (leaf.path + " never showed " + to_text(wanted[i])).c_str());
    }
  }

  // Sets every bounded rw leaf to a value its model refuses: the SDK's model validator answers 325001 for it (the
  // simulator's setters no longer check ranges), and no report afterwards carries the refused value.
  void refuse_every_out_of_range_value(const char* product, const char* dock_model_key, const char* aircraft_model_key,
                                       std::size_t expected_leaves) {
    auto dock_model = docklink::thing::load_embedded(dock_model_key);
    auto aircraft_model = docklink::thing::load_embedded(aircraft_model_key);
    CHECK_TRUE_TEXT(dock_model.is_ok(), dock_model_key);
    CHECK_TRUE_TEXT(aircraft_model.is_ok(), aircraft_model_key);
    std::vector<WritableLeaf> leaves;
    std::vector<rapidjson::Document> refused;
    std::vector<WritableLeaf> all = writable_leaves(dock_model.value(), kSn);
    for (const WritableLeaf& leaf : writable_leaves(aircraft_model.value(), kAircraft)) all.push_back(leaf);
    for (const WritableLeaf& leaf : all) {
      rapidjson::Document value;
      if (!out_of_range_value(*leaf.spec, value)) continue;
      leaves.push_back(leaf);
      refused.push_back(std::move(value));
    }
    LONGS_EQUAL(expected_leaves, leaves.size());

    start_session({"--model", product, "--speed", "50", "--osd-period-ms", "200"});
    TestCloud& cloud = session->cloud();
    // The aircraft is on once it reports: a refusal is then the validator's, not kAircraftNotConnected.
    CHECK_TRUE(
        cloud.wait_for([](const Seen& seen) { return seen.kind == TopicKind::kOsd && seen.sn == kAircraft; }).json !=
        nullptr);
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const std::string tid =
          cloud.send(TopicKind::kPropertySet, kSn, "", nested_set(leaves[i].path, to_text(refused[i])));
      Seen reply = cloud.wait_for(
          [&](const Seen& seen) { return seen.kind == TopicKind::kPropertySetReply && seen.str("tid") == tid; });
      CHECK_TRUE_TEXT(reply.json != nullptr, ("no reply for " + leaves[i].path).c_str());
      LONGS_EQUAL_TEXT(325001, int_in(reply, leaves[i].path + ".result"), leaves[i].path.c_str());
    }
    // One more OSD of each device after the last reply, then no report may show a refused value.
    for (const char* sn : {kSn, kAircraft}) {
      auto osd_of = [&](const Seen& seen) { return seen.kind == TopicKind::kOsd && seen.sn == sn; };
      const std::size_t so_far = cloud.all(osd_of).size();
      CHECK_TRUE(cloud.wait_count(osd_of, so_far + 1, 10s).size() > so_far);
    }
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const WritableLeaf& leaf = leaves[i];
      auto shows_refused = [&](const Seen& seen) {
        return reports(seen, leaf) && same_value(*data_at(seen, leaf.path), refused[i]);
      };
      CHECK_TRUE_TEXT(cloud.all(shows_refused).empty(), (leaf.path + " took " + to_text(refused[i])).c_str());
    }
  }
};

}  // namespace

TEST_GROUP_BASE(SimPropertyCoverage, PropertyCoverageGroup){};

// Dock 1: silent_mode, user_experience_improvement; M30: 12 including rc_lost_action, exit_wayline_when_rc_lost.
TEST(SimPropertyCoverage, Dock1EveryWritablePropertyTakesEffect) {
  set_every_writable_property("dock1", "3-1-0", "0-67-0", 14);
}

// Dock 2 adds air_transfer_enable; M3D: commander_flight_mode, remaining_power_for_return_home and the eight
// camera_watermark_settings fields instead of the M30's RC-lost settings.
TEST(SimPropertyCoverage, Dock2EveryWritablePropertyTakesEffect) {
  set_every_writable_property("dock2", "3-2-0", "0-91-0", 23);
}

TEST(SimPropertyCoverage, Dock3EveryWritablePropertyTakesEffect) {
  set_every_writable_property("dock3", "3-3-0", "0-100-0", 23);
}

// Dock 2 / M3D: every bounded leaf (all but the watermark's custom string) refused past its model's range.
TEST(SimPropertyCoverage, Dock2OutOfRangeValuesAreRefused) {
  refuse_every_out_of_range_value("dock2", "3-2-0", "0-91-0", 22);
}
