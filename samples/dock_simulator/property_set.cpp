// Property set (§5.4): the rw properties of dock and aircraft. A change shows in the next OSD, or is pushed at
// once as a state message for state properties.
#include <functional>

#include "docklink/result_codes.hpp"
#include "json_read.hpp"
#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

/// How a property is stored and reported.
struct IntProperty {
  const char* path;       ///< "height_limit" or "obstacle_avoidance.horizon".
  std::int64_t min, max;  ///< Accepted range.
  bool aircraft;          ///< Owned by the aircraft (needs it powered on).
  const char* state_key;  ///< Non-null: pushed as a one-key state message with this key.
  int DockState::*field;  ///< Where the value lives.
};

}  // namespace

void SimDock::register_properties() {
  std::vector<IntProperty> properties = {
      {"silent_mode", 0, 1, false, "silent_mode", &DockState::silent_mode},
      {"user_experience_improvement", 0, 2, false, "user_experience_improvement",
       &DockState::user_experience_improvement},
      {"height_limit", 20, 1500, true, nullptr, &DockState::height_limit},
      {"night_lights_state", 0, 1, true, nullptr, &DockState::night_lights_state},
      {"obstacle_avoidance.horizon", 0, 1, true, nullptr, &DockState::obstacle_horizon},
      {"obstacle_avoidance.upside", 0, 1, true, nullptr, &DockState::obstacle_upside},
      {"obstacle_avoidance.downside", 0, 1, true, nullptr, &DockState::obstacle_downside},
      {"distance_limit_status.state", 0, 1, true, nullptr, &DockState::distance_limit_state},
      {"distance_limit_status.distance_limit", 15, 8000, true, nullptr, &DockState::distance_limit},
      {"rth_altitude", 20, 500, true, nullptr, &DockState::rth_altitude},
      {"commander_flight_height", 2, 3000, true, "commander_flight_height", &DockState::commander_flight_height},
      {"commander_mode_lost_action", 0, 1, true, "commander_mode_lost_action", &DockState::commander_mode_lost_action},
  };
  if (product_.generation == DockGeneration::kDock1) {
    properties.push_back({"rc_lost_action", 0, 2, true, nullptr, &DockState::rc_lost_action});
  } else {
    properties.push_back(
        {"commander_flight_mode", 0, 1, true, "commander_flight_mode", &DockState::commander_flight_mode});
    properties.push_back({"remaining_power_for_return_home", 0, 100, true, "remaining_power_for_return_home",
                          &DockState::remaining_power_for_return_home});
  }
  for (const IntProperty& property : properties) {
    client_->on_property_set(property.path, [this, property](const rapidjson::Value& value) -> std::int32_t {
      std::int64_t number = 0;
      if (!samples::as_int(value, number) || number < property.min || number > property.max) {
        return result_code::kInvalidParameter;
      }
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
  if (product_.has_air_transfer) {
    client_->on_property_set("air_transfer_enable", [this](const rapidjson::Value& value) -> std::int32_t {
      std::int64_t number = 0;
      if (!samples::as_int(value, number) || number < 0 || number > 1) return result_code::kInvalidParameter;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        state_.air_transfer_enable = number != 0;
      }
      publish_state(sn_, samples::JsonBuilder().boolean("air_transfer_enable", number != 0).finish());
      return result_code::kSuccess;
    });
  }
}

}  // namespace docklink::sim
