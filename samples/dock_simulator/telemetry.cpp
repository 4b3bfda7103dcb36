// OSD of the dock (split into the three groups real docks send, docs/protocol.md#osd-groups) and of the aircraft
// (#aircraft-properties).
#include <cmath>

#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr double kChargePercentPerSecond = 0.25;  // a dock charges 20→90 % in about 5 minutes
constexpr double kFlightDrainPerSecond = 0.08;    // about 20 minutes of flight per full battery
constexpr std::int64_t kStorageTotalKb = 64LL * 1024 * 1024;

// Group 1: counters, power and maintenance.
std::string dock_osd_group1(const DockState& s, const Product& product) {
  int battery = static_cast<int>(s.drone_battery);
  samples::JsonBuilder group1;
  group1.num("job_number", s.job_number)
      .num("acc_time", 3600 * 24 * 30)
      .num("activation_time", 1700000000)
      .open_object("maintain_status")
      .open_array("maintain_status_array")
      .open_object()
      .num("state", 0)
      .num("last_maintain_type", 17)
      .num("last_maintain_time", 1700000000)
      .num("last_maintain_work_sorties", 0)
      .close_object()
      .close_array()
      .close_object()
      .num("working_voltage", 24000)
      .num("working_current", s.charging ? 3500 : 1200);
  if (product.generation == DockGeneration::kDock1) group1.num("electric_supply_voltage", 230);
  group1.open_object("backup_battery")
      .num("switch", 0)
      .num("voltage", 0)
      .real("temperature", 25.0, 1)
      .close_object()
      .open_object("drone_battery_maintenance_info")
      .num("maintenance_state", s.battery_maintenance != 0 ? 2 : 0)
      .num("maintenance_time_left", 0)
      .num("heat_state", 0)
      .open_array("batteries")
      .open_object()
      .num("index", 0)
      .num("capacity_percent", battery)
      .num("voltage", 15400 + battery * 20)
      .real("temperature", 26.5, 1)
      .close_object()
      .close_array()
      .close_object();
  return group1.finish();
}

// Group 2: task capacity, step code, media and links.
std::string dock_osd_group2(const DockState& s) {
  return samples::JsonBuilder()
      .num("flighttask_prepare_capacity", 1)
      .num("flighttask_step_code", s.flighttask_step_code)
      .open_object("media_file_detail")
      .num("remain_upload", 0)
      .close_object()
      .open_object("wireless_link")
      .num("dongle_number", 1)
      .num("4g_link_state", 1)
      .num("sdr_link_state", s.drone_powered ? 1 : 0)
      .num("link_workmode", s.link_workmode)
      .num("sdr_quality", s.drone_powered ? 5 : 0)
      .num("4g_quality", 4)
      .real("sdr_freq_band", 2.4, 1)
      .real("4g_freq_band", 2.4, 1)
      .close_object()
      .finish();
}

// Group 3, first part: network, charge, weather, position.
void add_dock_surroundings(samples::JsonBuilder& group3, const DockState& s) {
  int battery = static_cast<int>(s.drone_battery);
  group3.open_object("network_state")
      .num("type", 2)
      .num("quality", 5)
      .real("rate", 1200.0, 1)
      .close_object()
      .open_object("drone_charge_state")
      .num("state", s.charging ? 1 : 0)
      .num("capacity_percent", battery)
      .close_object()
      .num("drone_in_dock", s.drone_in_dock ? 1 : 0)
      .num("rainfall", 0)
      .real("wind_speed", s.wind_speed, 1)
      .real("environment_temperature", s.environment_temperature, 1)
      .real("temperature", s.temperature, 1)
      .real("humidity", s.humidity, 1)
      .real("latitude", s.latitude)
      .real("longitude", s.longitude)
      .real("height", s.height, 2)
      .open_object("alternate_land_point")
      .real("latitude", s.latitude + 0.0002)
      .real("longitude", s.longitude)
      .real("safe_land_height", 30.0, 1)
      .num("is_configured", 1)
      .real("height", s.height, 2)
      .close_object()
      .num("first_power_on", 1700000000000)
      .open_object("position_state")
      .num("is_calibration", 1)
      .num("is_fixed", 2)
      .num("quality", 10)
      .num("gps_number", 18)
      .num("rtk_number", 24)
      .close_object();
}

// Group 3, second part: storage, the dock's mechanics and its aircraft.
void add_dock_mechanics(samples::JsonBuilder& group3, const DockState& s, const Product& product,
                        const std::string& aircraft_sn) {
  group3.open_object("storage")
      .num("total", kStorageTotalKb)
      .num("used", s.dock_storage_used_kb)
      .close_object()
      .num("mode_code", static_cast<int>(s.mode_code))
      .num("cover_state", s.cover_state)
      .num("supplement_light_state", s.supplement_light_state)
      .num("emergency_stop_state", s.emergency_stop_state)
      .open_object("air_conditioner")
      .num("air_conditioner_state", s.air_conditioner_state)
      .num("switch_time", 0)
      .close_object()
      .num("battery_store_mode", s.battery_store_mode)
      .num("alarm_state", s.alarm_state)
      .num("drc_state", static_cast<int>(s.drc_state));
  if (product.has_putter) group3.num("putter_state", s.putter_state);
  if (product.generation != DockGeneration::kDock1) {
    group3.real("heading", 0.0, 1).num("home_position_is_valid", 1);
  }
  group3.open_object("sub_device")
      .str("device_sn", aircraft_sn)
      .str("device_model_key", product.aircraft_model_key)
      .num("device_online_status", s.drone_powered ? 1 : 0)
      .num("device_paired", 1)
      .close_object();
}

// Aircraft OSD, first part: gimbal, attitude and motion.
void add_aircraft_motion(samples::JsonBuilder& osd, const DockState& s, const Product& product) {
  double home_distance = std::hypot((s.drone_latitude - s.latitude) * 111320.0,
                                    (s.drone_longitude - s.longitude) * 111320.0 * std::cos(s.latitude * M_PI / 180));
  osd.open_object(product.payload_index)
      .str("payload_index", product.payload_index)
      .real("gimbal_pitch", s.drone_in_dock ? 0.0 : -45.0, 1)
      .real("gimbal_roll", 0.0, 1)
      .real("gimbal_yaw", s.drone_heading, 1)
      .real("zoom_factor", 2.0, 1)
      .close_object()
      .num("mode_code", static_cast<int>(s.drone_mode_code))
      .num("gear", 1)
      .real("latitude", s.drone_latitude)
      .real("longitude", s.drone_longitude)
      .real("height", s.height + s.drone_elevation, 2)
      .real("elevation", s.drone_elevation, 2)
      .real("attitude_head", s.drone_heading, 1)
      .real("attitude_pitch", s.horizontal_speed > 0 ? -8.0 : 0.0, 1)
      .real("attitude_roll", 0.0, 1)
      .real("horizontal_speed", s.horizontal_speed, 2)
      .real("vertical_speed", s.vertical_speed, 2)
      .real("home_distance", home_distance, 1)
      .real("wind_speed", s.wind_speed * 10, 1)
      .num("wind_direction", 3);
}

// Aircraft OSD, second part: battery.
void add_aircraft_battery(samples::JsonBuilder& osd, const DockState& s, const std::string& aircraft_sn) {
  int battery = static_cast<int>(s.drone_battery);
  osd.open_object("battery")
      .num("capacity_percent", battery)
      .num("remain_flight_time", battery * 24)
      .num("return_home_power", s.remaining_power_for_return_home)
      .num("landing_power", 10)
      .open_array("batteries")
      .open_object()
      .num("index", 0)
      .num("capacity_percent", battery)
      .str("sn", aircraft_sn + "-B0")
      .num("loop_times", 42)
      .num("voltage", 15400 + battery * 20)
      .real("temperature", 28.0, 1)
      .close_object()
      .close_array()
      .close_object();
}

// Aircraft OSD, third part: limits, position quality, storage and counters.
void add_aircraft_limits(samples::JsonBuilder& osd, const DockState& s, const Product& product) {
  osd.num("height_limit", s.height_limit)
      .open_object("distance_limit_status")
      .num("state", s.distance_limit_state)
      .num("distance_limit", s.distance_limit)
      .num("is_near_distance_limit", 0)
      .close_object()
      .open_object("obstacle_avoidance")
      .num("horizon", s.obstacle_horizon)
      .num("upside", s.obstacle_upside)
      .num("downside", s.obstacle_downside)
      .close_object()
      .num("night_lights_state", s.night_lights_state)
      .num("rth_altitude", s.rth_altitude)
      .open_object("position_state")
      .num("is_fixed", s.drone_in_dock ? 0 : 2)
      .num("quality", s.drone_in_dock ? 0 : 10)
      .num("gps_number", s.drone_in_dock ? 0 : 20)
      .num("rtk_number", s.drone_in_dock ? 0 : 30)
      .close_object()
      .open_object("storage")
      .num("total", kStorageTotalKb)
      .num("used", s.drone_storage_used_kb)
      .close_object()
      .str("track_id", s.flight.phase == FlightPhase::kNone ? std::string() : s.flight.track_id)
      .num("total_flight_sorties", s.total_flight_sorties)
      .real("total_flight_distance", s.total_flight_distance, 1)
      .real("total_flight_time", s.total_flight_time, 1)
      .num("is_near_area_limit", 0)
      .num("is_near_height_limit", 0)
      .num("activation_time", 1700000000);
  if (product.generation == DockGeneration::kDock1) {
    osd.num("rc_lost_action", s.rc_lost_action).num("exit_wayline_when_rc_lost", s.exit_wayline_when_rc_lost);
  }
}

}  // namespace

// Battery changes with simulated time, computed lazily whenever telemetry or a tick looks at it.
void SimDock::advance_battery_locked() {
  std::int64_t now = clock_->monotonic_ms();
  if (last_battery_update_ms_ == 0) last_battery_update_ms_ = now;
  double simulated_s = static_cast<double>(now - last_battery_update_ms_) / 1000.0 * options_.speed;
  last_battery_update_ms_ = now;
  if (state_.charging && state_.drone_in_dock) {
    state_.drone_battery = std::min(100.0, state_.drone_battery + kChargePercentPerSecond * simulated_s);
  } else if (!state_.drone_in_dock) {
    state_.drone_battery = std::max(0.0, state_.drone_battery - kFlightDrainPerSecond * simulated_s);
  }
}

void SimDock::fill_dock_osd(std::string& out) {
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    advance_battery_locked();
    s = state_;
  }
  samples::warn_if_failed(log_, client_->publish_osd(sn_, dock_osd_group1(s, product_)), "dock OSD group 1");
  samples::warn_if_failed(log_, client_->publish_osd(sn_, dock_osd_group2(s)), "dock OSD group 2");
  // Group 3 (returned to the SDK's OSD source): the dock's physical state.
  samples::JsonBuilder group3;
  add_dock_surroundings(group3, s);
  add_dock_mechanics(group3, s, product_, aircraft_sn_);
  out = group3.finish();
}

void SimDock::fill_aircraft_osd(std::string& out) {
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!state_.drone_powered) return;  // powered off: not in the topology, no OSD
    advance_battery_locked();
    s = state_;
  }
  samples::JsonBuilder osd;
  add_aircraft_motion(osd, s, product_);
  add_aircraft_battery(osd, s, aircraft_sn_);
  add_aircraft_limits(osd, s, product_);
  out = osd.finish();
}

}  // namespace docklink::sim
