// Command flight (docs/protocol.md#services, #events): takeoff_to_point prepares the dock, lets the
// aircraft climb to the safe takeoff height and cruise to the target, where it hovers under cloud control;
// fly_to_point / _update / _stop then move it between points. Progress goes out as takeoff_to_point_progress and
// fly_to_point_progress (need_reply 1). Driven by ticks on the shared Scheduler at --speed.
//
// While a command flight runs, DockState::flight holds a hovering return (phase kReturn, hovering) owned by it:
// the flight-task code then refuses other tasks and remote debugging, and return_home resumes that return, which
// flies the aircraft home, lands it and closes the dock. Whoever changes that FlightRun takes the aircraft over.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

#include "docklink/result_codes.hpp"
#include "docklink/typed_event.hpp"
#include "geo.hpp"
#include "json_write.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr double kCoverOpenSeconds = 10.0;  // the cover is open after this long
constexpr double kPrepareSeconds = 12.0;    // the aircraft takes off after this long
constexpr double kClimbRate = 5.0;          // m/s
constexpr double kDescentRate = 3.0;        // m/s
constexpr double kDefaultSpeed = 12.0;      // m/s when the cloud gives no max_speed (or 0)
constexpr double kMinElevation = 2.0;       // m above the dock: targets below it are flown at this height
constexpr int kProgressEveryTicks = 2;

using TakeoffStatus = generated::shared::TakeoffToPointProgressEventStatus;
using FlyToStatus = generated::shared::FlyToPointProgressEventStatus;

/// An event built under the lock, published after it.
struct PendingEvent {
  const char* method;
  std::string bid;
  std::string data;
};

/// A flight target: position and height above the dock.
struct Target {
  double latitude = 0, longitude = 0, elevation = 0;
};

// True when the command flight still controls the aircraft (nobody took its FlightRun over).
bool owns_aircraft(const DockState& s) {
  return s.command.phase != CommandPhase::kNone && s.flight.generation == s.command.flight_generation &&
         s.flight.phase == FlightPhase::kReturn && s.flight.hovering;
}

// Ellipsoid height (what the cloud sends) to height above the dock.
double elevation_of(const DockState& s, double ellipsoid_height) {
  return std::max(kMinElevation, ellipsoid_height - s.height);
}

// The single point of fly_to_point / fly_to_point_update (FlyToPointPointsItem or FlyToPointUpdatePointsItem, in
// the ranges of the thing model); 0 or a result code.
template <class Point>
std::int32_t read_point(const DockState& s, const std::vector<Point>& points, Target& target) {
  if (points.size() != 1) return result_code::kFlyToPointCount;
  target.latitude = points[0].latitude;
  target.longitude = points[0].longitude;
  target.elevation = elevation_of(s, points[0].height);
  return 0;
}

// Offset of `target` from the aircraft: metres north/east and up.
void offset_to(const DockState& s, const Target& target, double& north, double& east, double& up) {
  north = (target.latitude - s.drone_latitude) * kMetersPerDegree;
  east = (target.longitude - s.drone_longitude) * meters_per_degree_longitude(s.latitude);
  up = target.elevation - s.drone_elevation;
}

// Seconds to fly from the aircraft to `target`: horizontal and vertical motion run together.
double seconds_to(const DockState& s, const Target& target, double speed) {
  double north, east, up;
  offset_to(s, target, north, east, up);
  return std::max(std::hypot(north, east) / speed, up > 0 ? up / kClimbRate : -up / kDescentRate);
}

Target takeoff_target(const CommandRun& run) {
  return {run.takeoff_latitude, run.takeoff_longitude, run.takeoff_elevation};
}

Target fly_to_target(const CommandRun& run) {
  return {run.fly_to_latitude, run.fly_to_longitude, run.fly_to_elevation};
}

// Rounds to `decimals` places, as the simulator has always reported these values.
double rounded(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// Fields both progress events share: status, result, waypoint, what is left, the planned point.
template <class Event, class Status>
void fill_progress(Event& event, const DockState& s, Status status, std::int32_t result, const Target& target,
                   double distance, double seconds) {
  event.status = status;
  event.result = result;
  event.way_point_index = 0;
  event.remaining_distance = rounded(distance, 1);
  event.remaining_time = rounded(seconds, 1);
  generated::shared::FlightProgressPoint point;
  point.latitude = rounded(target.latitude, 6);
  point.longitude = rounded(target.longitude, 6);
  point.height = rounded(s.height + target.elevation, 1);
  event.planned_path_points = std::vector<generated::shared::FlightProgressPoint>{point};
}

PendingEvent takeoff_event(const DockState& s, TakeoffStatus status, std::int32_t result = 0) {
  const CommandRun& run = s.command;
  Target target = takeoff_target(run);
  double distance = 0, seconds = 0;
  if (run.takeoff_active) {
    // Still to come: the rest of the preparation, the climb to the safe height, then the cruise.
    double climb = std::max(0.0, run.security_height - s.drone_elevation);
    double north, east, up;
    offset_to(s, target, north, east, up);
    up = target.elevation - std::max(s.drone_elevation, run.security_height);
    distance = climb + std::hypot(std::hypot(north, east), up);
    seconds = climb / kClimbRate +
              std::max(std::hypot(north, east) / run.takeoff_speed, up > 0 ? up / kClimbRate : -up / kDescentRate);
    if (run.phase == CommandPhase::kPreparing) seconds += std::max(0.0, kPrepareSeconds - run.elapsed_s);
  }
  generated::shared::TakeoffToPointProgressEvent event;
  event.flight_id = run.flight_id;
  event.track_id = s.flight.track_id;
  fill_progress(event, s, status, result, target, distance, seconds);
  return {event.kMethod, run.takeoff_bid, event_data_json(event)};
}

PendingEvent fly_to_event(const DockState& s, FlyToStatus status, std::int32_t result = 0) {
  const CommandRun& run = s.command;
  Target target = fly_to_target(run);
  double distance = 0, seconds = 0;
  if (status == FlyToStatus::kWaylineProgress) {
    double north, east, up;
    offset_to(s, target, north, east, up);
    distance = std::hypot(std::hypot(north, east), up);
    seconds = seconds_to(s, target, run.fly_to_speed);
  }
  generated::shared::FlyToPointProgressEvent event;
  event.fly_to_id = run.fly_to_id;
  fill_progress(event, s, status, result, target, distance, seconds);
  return {event.kMethod, run.fly_to_bid, event_data_json(event)};
}

}  // namespace

/// takeoff_to_point's parameters as the simulator uses them; negative optional values: not given.
struct TakeoffRequest {
  std::string flight_id;
  Target target;
  double target_height = 0, security_height = 0, speed = kDefaultSpeed, rth_altitude = -1;
  double commander_height = -1;
  int rc_lost_action = -1, lost_action = -1, commander_mode = -1;
};

namespace {

template <class Enum>
int enum_or_none(const std::optional<Enum>& value) {
  return value ? static_cast<int>(*value) : -1;
}

// The fields every dock's takeoff_to_point has (the thing model checked their ranges).
template <class Params>
TakeoffRequest common_takeoff_request(const Params& p) {
  TakeoffRequest r;
  r.flight_id = p.flight_id;
  r.target.latitude = p.target_latitude;
  r.target.longitude = p.target_longitude;
  r.target_height = p.target_height;
  r.security_height = p.security_takeoff_height;
  r.speed = p.max_speed.value_or(kDefaultSpeed);
  if (p.rth_altitude) r.rth_altitude = static_cast<double>(*p.rth_altitude);
  r.commander_height = p.commander_flight_height.value_or(-1);
  r.rc_lost_action = enum_or_none(p.rc_lost_action);
  r.lost_action = enum_or_none(p.commander_mode_lost_action);
  return r;
}

// Dock 1 (its model has no commander_flight_mode).
TakeoffRequest takeoff_request(const generated::shared::TakeoffToPoint& params) {
  return common_takeoff_request(params);
}

// Dock 2 and 3.
TakeoffRequest takeoff_request(const generated::shared::TakeoffToPointDock2& params) {
  TakeoffRequest r = common_takeoff_request(params);
  r.commander_mode = enum_or_none(params.commander_flight_mode);
  return r;
}

// 0 when the dock may take off now, else the result code refusing takeoff_to_point.
std::int32_t takeoff_refusal(const DockState& s, bool emergency_stop) {
  if (s.mode_code == DockMode::kOnSiteDebugging) return result_code::kInOnSiteDebug;
  if (s.mode_code == DockMode::kRemoteDebugging) return result_code::kInRemoteDebug;
  if (s.mode_code == DockMode::kFirmwareUpgrading) return result_code::kTaskRefusedUpgrading;
  if (!s.job_method.empty()) return result_code::kDockBusy;
  if (s.flight.phase != FlightPhase::kNone || s.mode_code == DockMode::kWorking) return result_code::kOtherTaskRunning;
  if (!s.drone_powered) return result_code::kAircraftNotConnected;
  if (!s.drone_in_dock || s.mode_code != DockMode::kIdle) return result_code::kDeviceStateForbids;
  if (emergency_stop) return result_code::kEmergencyStop;
  return 0;
}

// Starts the command flight and the hovering return that return_home resumes (see the top of this file).
void begin_takeoff(DockState& s, TakeoffRequest r, std::string bid) {
  r.target.elevation = elevation_of(s, r.target_height);
  CommandRun run;
  run.phase = CommandPhase::kPreparing;
  run.flight_id = r.flight_id;
  run.takeoff_bid = std::move(bid);
  run.takeoff_active = true;
  run.security_height = r.security_height;
  run.takeoff_speed = r.speed;
  run.takeoff_latitude = r.target.latitude;
  run.takeoff_longitude = r.target.longitude;
  run.takeoff_elevation = r.target.elevation;
  run.generation = ++s.command_generation;
  FlightRun flight;
  flight.flight_id = r.flight_id;
  flight.phase = FlightPhase::kReturn;
  flight.step = 26;
  flight.hovering = true;
  flight.cruise_height_m = static_cast<int>(r.security_height);
  flight.generation = ++s.flight_generation;
  flight.track_id = r.flight_id + "-track";
  run.flight_generation = flight.generation;
  s.flight = flight;
  s.command = run;
}

// The dock and aircraft settings takeoff_to_point changes.
void apply_takeoff_settings(DockState& s, const TakeoffRequest& r) {
  s.mode_code = DockMode::kWorking;
  s.flighttask_step_code = 0;
  s.cover_state = 2;
  s.charging = false;
  s.drone_mode_code = AircraftMode::kTakeoffPreparation;
  if (r.rth_altitude > 0) s.rth_altitude = static_cast<int>(r.rth_altitude);
  if (r.rc_lost_action >= 0) s.rc_lost_action = r.rc_lost_action;
  if (r.lost_action >= 0) s.commander_mode_lost_action = r.lost_action;
  if (r.commander_mode >= 0) s.commander_flight_mode = r.commander_mode;
  if (r.commander_height > 0) s.commander_flight_height = static_cast<int>(r.commander_height);
}

// Publishes events built under the lock (need_reply 1, their own bid).
void publish_events(Client& client, port::Log* log, const std::vector<PendingEvent>& events) {
  for (const PendingEvent& event : events) {
    EventOptions options;
    options.need_reply = true;
    options.bid = event.bid;
    samples::warn_if_failed(log, client.publish_event(event.method, event.data, options), event.method);
  }
}

// Preparing: the cover opens, then the aircraft lifts off.
bool command_preparing(DockState& s, double& budget, std::vector<PendingEvent>&) {
  CommandRun& run = s.command;
  double used = std::min(budget, kPrepareSeconds - run.elapsed_s);
  run.elapsed_s += used;
  budget -= used;
  if (run.elapsed_s + 1e-9 >= kCoverOpenSeconds) {
    s.cover_state = 1;
    s.drone_mode_code = AircraftMode::kTakeoffPreparationDone;
  }
  if (run.elapsed_s + 1e-9 < kPrepareSeconds) return false;
  run.phase = CommandPhase::kClimbing;
  run.elapsed_s = 0;
  s.drone_in_dock = false;
  s.drone_mode_code = AircraftMode::kAutomaticTakeoff;
  s.flighttask_step_code = 1;
  s.vertical_speed = kClimbRate;
  return true;
}

// Climbing straight up to the safe takeoff height.
bool command_climbing(DockState& s, double& budget, std::vector<PendingEvent>&) {
  CommandRun& run = s.command;
  double used = std::min(budget, (run.security_height - s.drone_elevation) / kClimbRate);
  s.drone_elevation += used * kClimbRate;
  budget -= used;
  if (s.drone_elevation + 1e-6 < run.security_height) return false;
  run.phase = CommandPhase::kCruising;
  s.drone_mode_code = AircraftMode::kLiveFlightControl;
  return true;
}

// Arrived: the aircraft hovers at the target under command-flight control; the flight under way reports it.
void arrive(DockState& s, const Target& target, std::vector<PendingEvent>& events) {
  CommandRun& run = s.command;
  s.drone_latitude = target.latitude;
  s.drone_longitude = target.longitude;
  s.drone_elevation = target.elevation;
  s.horizontal_speed = 0;
  s.vertical_speed = 0;
  run.phase = CommandPhase::kHovering;
  if (run.fly_to_active) {
    events.push_back(fly_to_event(s, FlyToStatus::kWaylineOk));
    run.fly_to_active = false;
  } else if (run.takeoff_active) {
    events.push_back(takeoff_event(s, TakeoffStatus::kWaylineOk));
    events.push_back(takeoff_event(s, TakeoffStatus::kTaskFinish));
    run.takeoff_active = false;
  }
}

// Cruising: horizontal and vertical motion together, straight at the target.
bool command_cruising(DockState& s, double& budget, std::vector<PendingEvent>& events) {
  CommandRun& run = s.command;
  Target target = run.fly_to_active ? fly_to_target(run) : takeoff_target(run);
  double speed = run.fly_to_active ? run.fly_to_speed : run.takeoff_speed;
  double north, east, up;
  offset_to(s, target, north, east, up);
  double horizontal = std::hypot(north, east);
  double needed = seconds_to(s, target, speed);
  double used = std::min(budget, needed);
  budget -= used;
  double moved = std::min(horizontal, used * speed);
  double climbed = up > 0 ? std::min(up, used * kClimbRate) : -std::min(-up, used * kDescentRate);
  if (horizontal > 1e-6) {
    s.drone_latitude += north / horizontal * moved / kMetersPerDegree;
    s.drone_longitude += east / horizontal * moved / meters_per_degree_longitude(s.latitude);
    s.drone_heading = std::atan2(east, north) * 180.0 / M_PI;
  }
  s.drone_elevation += climbed;
  s.total_flight_distance += moved;
  s.horizontal_speed = used > 0 ? moved / used : 0;
  s.vertical_speed = used > 0 ? climbed / used : 0;
  if (used + 1e-9 < needed) return false;
  arrive(s, target, events);
  return true;
}

// The phases of a command flight in order, each with what a tick does in it (false: wait for the next tick).
struct CommandStep {
  CommandPhase phase;
  bool (*advance)(DockState& s, double& budget, std::vector<PendingEvent>& events);
};
const CommandStep kCommandSteps[] = {{CommandPhase::kPreparing, command_preparing},
                                     {CommandPhase::kClimbing, command_climbing},
                                     {CommandPhase::kCruising, command_cruising}};

// Spends `budget` simulated seconds on the command flight; true while it moves on (not hovering).
bool advance_command(DockState& s, double budget, std::vector<PendingEvent>& events) {
  CommandRun& run = s.command;
  if (run.ticks == 0 && run.phase == CommandPhase::kPreparing)
    events.push_back(takeoff_event(s, TakeoffStatus::kTaskReady));
  bool arrived = false;
  while (budget > 1e-9 && run.phase != CommandPhase::kHovering) {
    const CommandStep* step = std::find_if(std::begin(kCommandSteps), std::end(kCommandSteps),
                                           [&](const CommandStep& candidate) { return candidate.phase == run.phase; });
    if (step == std::end(kCommandSteps)) break;
    if (!step->advance(s, budget, events)) break;
    arrived = run.phase == CommandPhase::kHovering;
  }
  if (!arrived && run.phase != CommandPhase::kPreparing && run.ticks % kProgressEveryTicks == 0) {
    if (run.takeoff_active) events.push_back(takeoff_event(s, TakeoffStatus::kWaylineProgress));
    if (run.fly_to_active) events.push_back(fly_to_event(s, FlyToStatus::kWaylineProgress));
  }
  ++run.ticks;
  return run.phase != CommandPhase::kHovering;
}

}  // namespace

void SimDock::register_command_flight() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::TakeoffToPoint>([this](const auto& params, ServiceCall& call) {
      return takeoff_to_point(takeoff_request(params), call.bid());
    });
    serve<typename Services::FlyToPoint>([this](const generated::shared::FlyToPoint& params, ServiceCall& call) {
      return fly_to_point(params, call.bid());
    });
    serve<typename Services::FlyToPointUpdate>([this](const generated::shared::FlyToPointUpdate& params, ServiceCall&) {
      return fly_to_point_update(params);
    });
    serve<typename Services::FlyToPointStop>([this](const auto&, ServiceCall&) { return fly_to_point_stop(); });
  });
}

ServiceReply SimDock::fly_to_point_update(const generated::shared::FlyToPointUpdate& params) {
  std::lock_guard<std::mutex> lock(mutex_);
  Target target;
  std::int32_t point_error = read_point(state_, params.points, target);
  if (point_error != 0) return ServiceReply::error(point_error);
  if (!owns_aircraft(state_) || !state_.command.fly_to_active) return ServiceReply::error(result_code::kFlyToFailed);
  if (!state_.flight_authority) return ServiceReply::error(result_code::kNoFlightAuthority);
  CommandRun& run = state_.command;
  run.fly_to_latitude = target.latitude;
  run.fly_to_longitude = target.longitude;
  run.fly_to_elevation = target.elevation;
  if (params.max_speed.value_or(0) > 0) run.fly_to_speed = *params.max_speed;
  return ServiceReply::ok();
}

ServiceReply SimDock::fly_to_point_stop() {
  PendingEvent event;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!owns_aircraft(state_) || !state_.command.fly_to_active)
      return ServiceReply::error(result_code::kFlyToStopFailed);
    if (!state_.flight_authority) return ServiceReply::error(result_code::kNoFlightAuthority);
    CommandRun& run = state_.command;
    event = fly_to_event(state_, FlyToStatus::kWaylineCancel);
    run.fly_to_active = false;
    run.phase = CommandPhase::kHovering;
    run.generation = ++state_.command_generation;  // the tick chain ends; hovering needs none
    state_.horizontal_speed = 0;
    state_.vertical_speed = 0;
  }
  publish_events(*client_, log_, {event});
  return ServiceReply::ok();
}

ServiceReply SimDock::takeoff_to_point(const TakeoffRequest& request, std::string_view bid) {
  if (request.flight_id.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  std::uint64_t generation, flight_generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int32_t refusal = takeoff_refusal(state_, emergency_stop_pressed_locked());
    if (refusal != 0) return ServiceReply::error(refusal);
    begin_takeoff(state_, request, std::string(bid));
    apply_takeoff_settings(state_, request);
    generation = state_.command.generation;
    flight_generation = state_.flight.generation;
  }
  // The first tick reports task_ready, a moment after this reply.
  scheduler_.after(std::chrono::milliseconds(50), [this, generation] { command_tick(generation); });
  scheduler_.after(std::chrono::milliseconds(50), [this, flight_generation] { flight_tick(flight_generation); });
  return ServiceReply::ok();
}

ServiceReply SimDock::fly_to_point(const generated::shared::FlyToPoint& params, std::string_view bid) {
  if (params.fly_to_id.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  std::vector<PendingEvent> events;
  std::uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Target target;
    std::int32_t point_error = read_point(state_, params.points, target);
    if (point_error != 0) return ServiceReply::error(point_error);
    if (!owns_aircraft(state_)) return ServiceReply::error(result_code::kDeviceStateForbids);  // not airborne
    if (!state_.flight_authority) return ServiceReply::error(result_code::kNoFlightAuthority);
    CommandRun& run = state_.command;
    if (run.takeoff_active) return ServiceReply::error(result_code::kOtherTaskRunning);  // the takeoff still flies
    // A new fly_to_point replaces a running one.
    if (run.fly_to_active) events.push_back(fly_to_event(state_, FlyToStatus::kWaylineCancel));
    run.fly_to_active = true;
    run.fly_to_id = params.fly_to_id;
    run.fly_to_bid = std::string(bid);
    run.fly_to_speed = params.max_speed.value_or(0) > 0 ? *params.max_speed : kDefaultSpeed;
    run.fly_to_latitude = target.latitude;
    run.fly_to_longitude = target.longitude;
    run.fly_to_elevation = target.elevation;
    run.phase = CommandPhase::kCruising;
    run.elapsed_s = 0;
    run.ticks = 0;
    run.generation = ++state_.command_generation;  // one tick chain per fly_to
    state_.drone_mode_code = AircraftMode::kLiveFlightControl;
    generation = run.generation;
  }
  publish_events(*client_, log_, events);
  scheduler_.after(std::chrono::milliseconds(50), [this, generation] { command_tick(generation); });
  return ServiceReply::ok();
}

// One tick of a command flight: consumes simulated time phase by phase and reports progress every few ticks.
// Ends when the aircraft hovers (fly_to_point starts a new chain) or when the flight-task code took it over.
void SimDock::command_tick(std::uint64_t generation) {
  double tick_real_s = std::clamp(1.0 / options_.speed, 0.1, 0.5);
  std::vector<PendingEvent> events;
  bool again = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    CommandRun& run = state_.command;
    if (run.generation != generation || run.phase == CommandPhase::kNone) return;
    if (!owns_aircraft(state_)) {
      // return_home (through the flight-task code) flies the aircraft now: what was under way is cancelled.
      if (run.takeoff_active) events.push_back(takeoff_event(state_, TakeoffStatus::kWaylineCancel));
      if (run.fly_to_active) events.push_back(fly_to_event(state_, FlyToStatus::kWaylineCancel));
      run = CommandRun{};
    } else {
      advance_battery_locked();
      again = advance_command(state_, tick_real_s * options_.speed, events);
    }
  }
  publish_events(*client_, log_, events);
  if (again) {
    scheduler_.after(std::chrono::milliseconds(static_cast<std::int64_t>(tick_real_s * 1000)),
                     [this, generation] { command_tick(generation); });
  }
}

}  // namespace docklink::sim
