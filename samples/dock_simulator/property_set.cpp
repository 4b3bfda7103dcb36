// Property set (docs/protocol.md#property-set): every rw property of the dock and aircraft thing models the simulator
// plays. A change shows in the next OSD, or is pushed at once as a state message (one message per state group) for
// state properties.
// The setters are typed and named by the generated descriptors of the product's thing models
// (docklink/typed_property.hpp, docklink/generated/<product>_properties.hpp: each gets its value decoded as the thing
// model types it, at the path the model gives it) and do not check ranges or enum values: the SDK's
// ModelInboundValidator (sim_dock.cpp) checks each value against the thing model before a setter runs and answers a
// bad one 325001 itself, as it would for firmware. What stays here is where a value lives and what a change does
// (the aircraft must be on, a state message goes out).
#include <functional>

#include "docklink/result_codes.hpp"
#include "docklink/typed_property.hpp"
#include "product_properties.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

// The thing model gives user_custom_string no maximum length: this one is the simulator's own.
constexpr std::size_t kMaxWatermarkText = 64;  // long enough for a callsign; keeps state messages small

constexpr bool kDockOwned = false;     // int_property(): the dock's own property
constexpr bool kAircraftOwned = true;  // int_property(): the aircraft's (needs it powered on)

}  // namespace

// Each setter names its property by the generated descriptor of the product's model (path and value type).
template <class Dock, class Aircraft>
void SimDock::register_typed_properties() {
  int_property<typename Dock::SilentMode>(kDockOwned, &DockState::silent_mode);
  int_property<typename Dock::UserExperienceImprovement>(kDockOwned, &DockState::user_experience_improvement);
  int_property<typename Aircraft::HeightLimit>(kAircraftOwned, &DockState::height_limit);
  int_property<typename Aircraft::NightLightsState>(kAircraftOwned, &DockState::night_lights_state);
  int_property<typename Aircraft::ObstacleAvoidance::Horizon>(kAircraftOwned, &DockState::obstacle_horizon);
  int_property<typename Aircraft::ObstacleAvoidance::Upside>(kAircraftOwned, &DockState::obstacle_upside);
  int_property<typename Aircraft::ObstacleAvoidance::Downside>(kAircraftOwned, &DockState::obstacle_downside);
  int_property<typename Aircraft::DistanceLimitStatus::State>(kAircraftOwned, &DockState::distance_limit_state);
  int_property<typename Aircraft::DistanceLimitStatus::DistanceLimit>(kAircraftOwned, &DockState::distance_limit);
  int_property<typename Aircraft::RthAltitude>(kAircraftOwned, &DockState::rth_altitude);
  int_property<typename Aircraft::CommanderModeLostAction>(kAircraftOwned, &DockState::commander_mode_lost_action);
  if constexpr (has_property_v<Aircraft, RcLostActionOf>) {
    int_property<typename Aircraft::RcLostAction>(kAircraftOwned, &DockState::rc_lost_action);
    int_property<typename Aircraft::ExitWaylineWhenRcLost>(kAircraftOwned, &DockState::exit_wayline_when_rc_lost);
  }
  if constexpr (has_property_v<Aircraft, CommanderFlightModeOf>) {
    int_property<typename Aircraft::CommanderFlightMode>(kAircraftOwned, &DockState::commander_flight_mode);
    int_property<typename Aircraft::RemainingPowerForReturnHome>(kAircraftOwned,
                                                                 &DockState::remaining_power_for_return_home);
  }
  // A double in the thing model: fractional metres are valid.
  on_property_set<typename Aircraft::CommanderFlightHeight>(*client_, [this](const double& metres) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!state_.drone_powered) return result_code::kAircraftNotConnected;
      state_.commander_flight_height = metres;
    }
    report_state({StateGroup::kCommanderFlightHeight});
    return result_code::kSuccess;
  });
  if constexpr (has_property_v<Dock, AirTransferEnableOf>) {
    on_property_set<typename Dock::AirTransferEnable>(*client_, [this](const bool& enable) {  // true/false or 0/1
      {
        std::lock_guard<std::mutex> lock(mutex_);
        state_.air_transfer_enable = enable;
      }
      report_state({StateGroup::kAirTransferEnable});
      return result_code::kSuccess;
    });
  }
  if constexpr (has_property_v<Aircraft, CameraWatermarkSettingsOf>) {
    register_watermark_properties<typename Aircraft::CameraWatermarkSettings>();
  }
}

// An integer or enum property kept in `field`; a state property's group goes out at once (each of these is a group
// of its own).
template <class Descriptor>
void SimDock::int_property(bool aircraft, int DockState::*field) {
  using Value = typename Descriptor::Value;
  on_property_set<Descriptor>(*client_, [this, aircraft, field](const Value& value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (aircraft && !state_.drone_powered) return result_code::kAircraftNotConnected;
      state_.*field = static_cast<int>(value);
    }
    if constexpr (Descriptor::kState) {
      report_state(aircraft, [field](StoreWriter& writer, const DockState& s) { writer.code<Descriptor>(s.*field); });
    }
    return result_code::kSuccess;
  });
}

// camera_watermark_settings: each field is a leaf of its own (clouds set one or several per message); after any
// change the whole struct goes out, since it is one state group.
template <class Watermark>
void SimDock::register_watermark_properties() {
  // Applies `change` under the lock when the aircraft is on, then reports the struct.
  auto apply = [this](const std::function<void(WatermarkSettings&)>& change) -> std::int32_t {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!state_.drone_powered) return result_code::kAircraftNotConnected;
      change(state_.watermark);
    }
    report_state({StateGroup::kCameraWatermarkSettings});
    return result_code::kSuccess;
  };
  // A boolean field: sets `member`.
  auto flag = [apply](bool WatermarkSettings::*member) {
    return
        [apply, member](const bool& on) { return apply([&](WatermarkSettings& settings) { settings.*member = on; }); };
  };
  on_property_set<typename Watermark::GlobalEnable>(*client_, flag(&WatermarkSettings::global_enable));
  on_property_set<typename Watermark::DroneTypeEnable>(*client_, flag(&WatermarkSettings::drone_type_enable));
  on_property_set<typename Watermark::DroneSnEnable>(*client_, flag(&WatermarkSettings::drone_sn_enable));
  on_property_set<typename Watermark::DatetimeEnable>(*client_, flag(&WatermarkSettings::datetime_enable));
  on_property_set<typename Watermark::GpsEnable>(*client_, flag(&WatermarkSettings::gps_enable));
  on_property_set<typename Watermark::UserCustomStringEnable>(*client_,
                                                              flag(&WatermarkSettings::user_custom_string_enable));
  on_property_set<typename Watermark::UserCustomString>(*client_, [apply](const std::string& text) {
    if (text.size() > kMaxWatermarkText) return result_code::kInvalidParameter;
    return apply([&](WatermarkSettings& settings) { settings.user_custom_string = text; });
  });
  on_property_set<typename Watermark::Layout>(*client_, [apply](const typename Watermark::Layout::Value& layout) {
    return apply([&](WatermarkSettings& settings) { settings.layout = static_cast<int>(layout); });
  });
}

void SimDock::register_properties() {
  visit_properties(
      product_, [this](auto dock, auto aircraft) { register_typed_properties<decltype(dock), decltype(aircraft)>(); });
}

// The aircraft's writable state properties as they are now, one state group per message
// (docs/protocol.md#state-groups), so a cloud that (re)connects learns the values it may change.
void SimDock::publish_aircraft_settings() {
  report_state({StateGroup::kCommanderFlightHeight, StateGroup::kCommanderModeLostAction,
                StateGroup::kCurrentCommanderFlightMode, StateGroup::kCommanderFlightMode,
                StateGroup::kRemainingPowerForReturnHome, StateGroup::kCameraWatermarkSettings});
}

}  // namespace docklink::sim
