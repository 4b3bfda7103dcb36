// The aircraft's OSD written into its PropertyStore by descriptor; rc_lost_action and exit_wayline_when_rc_lost
// are reported where the model has them (the M30), the camera under the model's main payload index.
#include "aircraft_osd.hpp"

#include <cmath>

#include "geo.hpp"
#include "product_properties.hpp"

namespace docklink::sim {

namespace {

constexpr std::int64_t kStorageTotalKb = 64LL * 1024 * 1024;

/// The descriptor of an aircraft's main camera (its payload index property).
template <class Aircraft>
struct MainPayload;
template <>
struct MainPayload<generated::m30::Properties> {
  using type = generated::m30::Properties::Payload52_0_0;
};
template <>
struct MainPayload<generated::m3d::Properties> {
  using type = generated::m3d::Properties::Payload80_0_0;
};
template <>
struct MainPayload<generated::m4d::Properties> {
  using type = generated::m4d::Properties::Payload98_0_0;
};

// The battery pack as the aircraft reports it.
template <class Aircraft>
typename Aircraft::Battery::Batteries::Value battery_packs(std::int64_t battery, const std::string& aircraft_sn) {
  typename Aircraft::Battery::Batteries::Value packs(1);
  put_code(packs[0].index, 0);
  put_code(packs[0].capacity_percent, battery);
  packs[0].sn = aircraft_sn + "-B0";
  put_code(packs[0].loop_times, 42);
  put_code(packs[0].voltage, 15400 + battery * 20);
  packs[0].temperature = 28.0;
  return packs;
}

// First part: gimbal, attitude and motion.
template <class Aircraft>
void write_motion(StoreWriter& w, const DockState& s) {
  using Payload = typename MainPayload<Aircraft>::type;
  double home_distance = std::hypot((s.drone_latitude - s.latitude) * kMetersPerDegree,
                                    (s.drone_longitude - s.longitude) * meters_per_degree_longitude(s.latitude));
  w.set<typename Payload::PayloadIndex>(Payload::kPath);
  w.real<typename Payload::GimbalPitch>(s.drone_in_dock ? 0.0 : -45.0, 1);
  w.real<typename Payload::GimbalRoll>(0.0, 1);
  w.real<typename Payload::GimbalYaw>(s.drone_heading, 1);
  w.real<typename Payload::ZoomFactor>(2.0, 1);
  w.code<typename Aircraft::ModeCode>(static_cast<std::int64_t>(s.drone_mode_code));
  w.code<typename Aircraft::Gear>(1);
  w.real<typename Aircraft::Latitude>(s.drone_latitude, 6);
  w.real<typename Aircraft::Longitude>(s.drone_longitude, 6);
  w.real<typename Aircraft::Height>(s.height + s.drone_elevation, 2);
  w.real<typename Aircraft::Elevation>(s.drone_elevation, 2);
  w.real<typename Aircraft::AttitudeHead>(s.drone_heading, 1);
  w.real<typename Aircraft::AttitudePitch>(s.horizontal_speed > 0 ? -8.0 : 0.0, 1);
  w.real<typename Aircraft::AttitudeRoll>(0.0, 1);
  w.real<typename Aircraft::HorizontalSpeed>(s.horizontal_speed, 2);
  w.real<typename Aircraft::VerticalSpeed>(s.vertical_speed, 2);
  w.real<typename Aircraft::HomeDistance>(home_distance, 1);
  w.real<typename Aircraft::WindSpeed>(s.wind_speed * 10, 1);
  w.code<typename Aircraft::WindDirection>(3);
}

// Second part: battery.
template <class Aircraft>
void write_battery(StoreWriter& w, const DockState& s, const std::string& aircraft_sn) {
  auto battery = static_cast<std::int64_t>(s.drone_battery);
  using Battery = typename Aircraft::Battery;
  w.code<typename Battery::CapacityPercent>(battery);
  w.code<typename Battery::RemainFlightTime>(battery * 24);
  w.code<typename Battery::ReturnHomePower>(s.remaining_power_for_return_home);
  w.code<typename Battery::LandingPower>(10);
  w.set<typename Battery::Batteries>(battery_packs<Aircraft>(battery, aircraft_sn));
}

// Third part: limits, position quality, storage and counters.
template <class Aircraft>
void write_limits(StoreWriter& w, const DockState& s) {
  using Position = typename Aircraft::PositionState;
  w.code<typename Aircraft::HeightLimit>(s.height_limit);
  w.code<typename Aircraft::DistanceLimitStatus::State>(s.distance_limit_state);
  w.code<typename Aircraft::DistanceLimitStatus::DistanceLimit>(s.distance_limit);
  w.code<typename Aircraft::DistanceLimitStatus::IsNearDistanceLimit>(0);
  w.code<typename Aircraft::ObstacleAvoidance::Horizon>(s.obstacle_horizon);
  w.code<typename Aircraft::ObstacleAvoidance::Upside>(s.obstacle_upside);
  w.code<typename Aircraft::ObstacleAvoidance::Downside>(s.obstacle_downside);
  w.code<typename Aircraft::NightLightsState>(s.night_lights_state);
  w.code<typename Aircraft::RthAltitude>(s.rth_altitude);
  w.code<typename Position::IsFixed>(s.drone_in_dock ? 0 : 2);
  w.code<typename Position::Quality>(s.drone_in_dock ? 0 : 10);
  w.code<typename Position::GpsNumber>(s.drone_in_dock ? 0 : 20);
  w.code<typename Position::RtkNumber>(s.drone_in_dock ? 0 : 30);
  w.code<typename Aircraft::Storage::Total>(kStorageTotalKb);
  w.code<typename Aircraft::Storage::Used>(s.drone_storage_used_kb);
  w.set<typename Aircraft::TrackId>(s.flight.phase == FlightPhase::kNone ? std::string() : s.flight.track_id);
  w.code<typename Aircraft::TotalFlightSorties>(s.total_flight_sorties);
  w.real<typename Aircraft::TotalFlightDistance>(s.total_flight_distance, 1);
  w.real<typename Aircraft::TotalFlightTime>(s.total_flight_time, 1);
  w.code<typename Aircraft::IsNearAreaLimit>(0);
  w.code<typename Aircraft::IsNearHeightLimit>(0);
  w.code<typename Aircraft::ActivationTime>(1700000000);
  if constexpr (has_property_v<Aircraft, RcLostActionOf>) {
    w.code<typename Aircraft::RcLostAction>(s.rc_lost_action);
    w.code<typename Aircraft::ExitWaylineWhenRcLost>(s.exit_wayline_when_rc_lost);
  }
}

}  // namespace

void write_aircraft_osd(StoreWriter& writer, const DockState& s, const Product& product,
                        const std::string& aircraft_sn) {
  visit_properties(product, [&](auto /*dock*/, auto aircraft) {
    using Aircraft = decltype(aircraft);
    write_motion<Aircraft>(writer, s);
    write_battery<Aircraft>(writer, s, aircraft_sn);
    write_limits<Aircraft>(writer, s);
  });
}

}  // namespace docklink::sim
