// Property set (docs/protocol.md#property-set): every rw property of the dock and aircraft thing models the simulator
// plays. A change shows in the next OSD, or is pushed at once as a state message (one message per state group) for
// state properties.
// The setters are typed (docklink/typed_property.hpp: each gets its value decoded as the thing model types it) and do
// not check ranges or enum values: the SDK's ModelInboundValidator (sim_dock.cpp) checks each value against the thing
// model before a setter runs and answers a bad one 325001 itself, as it would for firmware. What stays here is where
// a value lives and what a change does (the aircraft must be on, a state message goes out).
#include <cmath>
#include <functional>

#include "docklink/result_codes.hpp"
#include "docklink/typed_property.hpp"
#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

/// How an integer (or enum) property is stored and reported.
struct IntProperty {
  const char* path;       ///< "height_limit" or "obstacle_avoidance.horizon".
  bool aircraft;          ///< Owned by the aircraft (needs it powered on).
  const char* state_key;  ///< Non-null: pushed as a one-key state message with this key.
  int DockState::*field;  ///< Where the value lives.
};

/// A boolean field of camera_watermark_settings.
struct WatermarkFlag {
  const char* field;
  bool WatermarkSettings::*member;
};

const WatermarkFlag kWatermarkFlags[] = {
    {"global_enable", &WatermarkSettings::global_enable},
    {"drone_type_enable", &WatermarkSettings::drone_type_enable},
    {"drone_sn_enable", &WatermarkSettings::drone_sn_enable},
    {"datetime_enable", &WatermarkSettings::datetime_enable},
    {"gps_enable", &WatermarkSettings::gps_enable},
    {"user_custom_string_enable", &WatermarkSettings::user_custom_string_enable},
};

// The thing model gives user_custom_string no maximum length: this one is the simulator's own.
constexpr std::size_t kMaxWatermarkText = 64;  // long enough for a callsign; keeps state messages small

// Whole metres as JSON integers (what clouds expect to see back), anything finer as a real number.
void add_metres(samples::JsonBuilder& json, const char* key, double metres) {
  if (metres == std::floor(metres)) {
    json.num(key, static_cast<std::int64_t>(metres));
  } else {
    json.real(key, metres, 2);
  }
}

// The integer properties of `product`'s thing models that the simulator plays.
std::vector<IntProperty> int_properties(const Product& product) {
  std::vector<IntProperty> properties = {
      {"silent_mode", false, "silent_mode", &DockState::silent_mode},
      {"user_experience_improvement", false, "user_experience_improvement", &DockState::user_experience_improvement},
      {"height_limit", true, nullptr, &DockState::height_limit},
      {"night_lights_state", true, nullptr, &DockState::night_lights_state},
      {"obstacle_avoidance.horizon", true, nullptr, &DockState::obstacle_horizon},
      {"obstacle_avoidance.upside", true, nullptr, &DockState::obstacle_upside},
      {"obstacle_avoidance.downside", true, nullptr, &DockState::obstacle_downside},
      {"distance_limit_status.state", true, nullptr, &DockState::distance_limit_state},
      {"distance_limit_status.distance_limit", true, nullptr, &DockState::distance_limit},
      {"rth_altitude", true, nullptr, &DockState::rth_altitude},
      {"commander_mode_lost_action", true, "commander_mode_lost_action", &DockState::commander_mode_lost_action},
  };
  if (product.generation == DockGeneration::kDock1) {
    properties.push_back({"rc_lost_action", true, nullptr, &DockState::rc_lost_action});
    properties.push_back({"exit_wayline_when_rc_lost", true, nullptr, &DockState::exit_wayline_when_rc_lost});
  } else {
    properties.push_back({"commander_flight_mode", true, "commander_flight_mode", &DockState::commander_flight_mode});
    properties.push_back({"remaining_power_for_return_home", true, "remaining_power_for_return_home",
                          &DockState::remaining_power_for_return_home});
  }
  return properties;
}

}  // namespace

void SimDock::register_properties() {
  for (const IntProperty& property : int_properties(product_)) {
    on_property_set<std::int64_t>(*client_, property.path, [this, property](const std::int64_t& number) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (property.aircraft && !state_.drone_powered) return result_code::kAircraftNotConnected;
        state_.*property.field = static_cast<int>(number);
      }
      if (property.state_key != nullptr) {
        publish_state(property.aircraft ? aircraft_sn_ : sn_,
                      samples::JsonBuilder().num(property.state_key, number).finish());
      }
      return result_code::kSuccess;
    });
  }

  // A double in the thing model: fractional metres are valid.
  on_property_set<double>(*client_, "commander_flight_height", [this](const double& metres) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!state_.drone_powered) return result_code::kAircraftNotConnected;
      state_.commander_flight_height = metres;
    }
    samples::JsonBuilder json;
    add_metres(json, "commander_flight_height", metres);
    publish_state(aircraft_sn_, json.finish());
    return result_code::kSuccess;
  });

  if (product_.has_air_transfer) {
    on_property_set<bool>(*client_, "air_transfer_enable", [this](const bool& enable) {  // true/false or 0/1
      {
        std::lock_guard<std::mutex> lock(mutex_);
        state_.air_transfer_enable = enable;
      }
      publish_state(sn_, samples::JsonBuilder().boolean("air_transfer_enable", enable).finish());
      return result_code::kSuccess;
    });
  }
  // The watermark belongs to the Dock 2/3 aircraft models (aircraft_gen2_base).
  if (product_.generation != DockGeneration::kDock1) register_watermark_properties();
}

// camera_watermark_settings: each field is a leaf of its own (clouds set one or several per message); after any
// change the whole struct goes out, since it is one state group.
void SimDock::register_watermark_properties() {
  // Applies `change` under the lock when the aircraft is on, then reports the struct.
  auto apply = [this](const std::function<void(WatermarkSettings&)>& change) -> std::int32_t {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!state_.drone_powered) return result_code::kAircraftNotConnected;
      change(state_.watermark);
    }
    publish_watermark_settings();
    return result_code::kSuccess;
  };
  for (const WatermarkFlag& flag : kWatermarkFlags) {
    on_property_set<bool>(*client_, std::string("camera_watermark_settings.") + flag.field,
                          [apply, flag](const bool& on) {
                            return apply([&](WatermarkSettings& settings) { settings.*flag.member = on; });
                          });
  }
  on_property_set<std::string>(*client_, "camera_watermark_settings.user_custom_string",
                               [apply](const std::string& text) {
                                 if (text.size() > kMaxWatermarkText) return result_code::kInvalidParameter;
                                 return apply([&](WatermarkSettings& settings) { settings.user_custom_string = text; });
                               });
  on_property_set<std::int64_t>(*client_, "camera_watermark_settings.layout", [apply](const std::int64_t& layout) {
    return apply([&](WatermarkSettings& settings) { settings.layout = static_cast<int>(layout); });
  });
}

void SimDock::publish_watermark_settings() {
  WatermarkSettings settings;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    settings = state_.watermark;
  }
  samples::JsonBuilder json;
  json.open_object("camera_watermark_settings");
  for (const WatermarkFlag& flag : kWatermarkFlags) json.num(flag.field, settings.*flag.member ? 1 : 0);
  json.str("user_custom_string", settings.user_custom_string).num("layout", settings.layout).close_object();
  publish_state(aircraft_sn_, json.finish());
}

// The aircraft's writable state properties as they are now, one state group per message
// (docs/protocol.md#state-groups), so a cloud that (re)connects learns the values it may change.
void SimDock::publish_aircraft_settings() {
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    s = state_;
  }
  samples::JsonBuilder height;
  add_metres(height, "commander_flight_height", s.commander_flight_height);
  publish_state(aircraft_sn_, height.finish());
  publish_state(aircraft_sn_,
                samples::JsonBuilder().num("commander_mode_lost_action", s.commander_mode_lost_action).finish());
  publish_state(aircraft_sn_,
                samples::JsonBuilder().num("current_commander_flight_mode", s.commander_flight_mode).finish());
  if (product_.generation == DockGeneration::kDock1) return;
  publish_state(aircraft_sn_, samples::JsonBuilder().num("commander_flight_mode", s.commander_flight_mode).finish());
  publish_state(
      aircraft_sn_,
      samples::JsonBuilder().num("remaining_power_for_return_home", s.remaining_power_for_return_home).finish());
  publish_watermark_settings();
}

}  // namespace docklink::sim
