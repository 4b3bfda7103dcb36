// Flight tasks (docs/protocol.md#services, #flight-steps): prepare stores a task, execute walks the
// dock's current_step sequence while the aircraft takes off, flies a square wayline around the dock, returns
// and lands; pause/recovery, return_home and undo act on it. Driven by ticks on the shared Scheduler.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "docklink/result_codes.hpp"
#include "docklink/typed_event.hpp"
#include "docklink/typed_request.hpp"
#include "docklink/typed_service.hpp"
#include "geo.hpp"
#include "json_write.hpp"
#include "prepared_limit.hpp"
#include "product_services.hpp"
#include "refusals.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

using ProgressStatus = generated::shared::ProgressStatus;

namespace {

constexpr std::int64_t kImmediateTaskToleranceMs = 30000;
constexpr int kUserReturnHomeBreakReason = 1283;

// Preparation steps (Dock 2/3 numbering) and their simulated seconds; 8 and 22 do not exist on Dock 1.
struct PrepStep {
  int step;
  double seconds;
};
const PrepStep kPrepSteps[] = {{1, 0.5}, {2, 0.5}, {3, 0.5}, {4, 0.5}, {5, 1},  {6, 1},  {7, 15}, {8, 2},
                               {9, 5},   {10, 3},  {11, 1},  {12, 1},  {13, 1}, {14, 1}, {15, 1}, {16, 1},
                               {17, 3},  {18, 3},  {19, 1},  {20, 1},  {21, 1}, {22, 1}, {23, 1}, {24, 1}};
// Closing steps after touchdown.
const PrepStep kCloseSteps[] = {{28, 15}, {29, 1}, {33, 1}, {35, 0.5}};

constexpr double kClimbRate = 5.0;        // m/s
constexpr double kDescentRate = 3.0;      // m/s
constexpr double kCruiseSpeed = 10.0;     // m/s along the wayline
constexpr double kReturnSpeed = 12.0;     // m/s
constexpr double kRthCheckSeconds = 3.0;  // step 26
constexpr double kRouteSide = 200.0;      // m: the wayline is a square of this side, starting at the dock
constexpr double kRouteLength = 4 * kRouteSide;

bool is_dock1(const Product& product) { return product.generation == DockGeneration::kDock1; }

// Offset (east, north) in metres and heading (degrees) at distance `d` along the square wayline.
void route_point(double d, double& east, double& north, double& heading, int& waypoint) {
  d = std::clamp(d, 0.0, kRouteLength);
  int leg = std::min(3, static_cast<int>(d / kRouteSide));
  double along = d - leg * kRouteSide;
  static const double kLegs[4][4] = {
      {0, 0, 1, 0}, {kRouteSide, 0, 0, 1}, {kRouteSide, kRouteSide, -1, 0}, {0, kRouteSide, 0, -1}};
  east = kLegs[leg][0] + kLegs[leg][2] * along;
  north = kLegs[leg][1] + kLegs[leg][3] * along;
  heading = std::atan2(kLegs[leg][2], kLegs[leg][3]) * 180.0 / M_PI;
  waypoint = leg;
}

// What the dock keeps of flighttask_prepare's parameters (the product's generated struct, decoded and checked
// against its thing model).
template <class Params>
PreparedTask prepared_task_of(const Params& params) {
  PreparedTask task;
  task.flight_id = params.flight_id;
  task.task_type = static_cast<int>(params.task_type);
  task.execute_time = params.execute_time.value_or(0);
  task.rth_altitude = static_cast<int>(params.rth_altitude.value_or(100));
  task.file_url = params.file.url;
  if (params.ready_conditions) {
    task.ready_battery = static_cast<int>(params.ready_conditions->battery_capacity.value_or(0));
    task.ready_begin = params.ready_conditions->begin_time.value_or(0);
    task.ready_end = params.ready_conditions->end_time.value_or(0);
  }
  return task;
}

// 0 when a prepared task is complete and its time plausible, else the result code refusing it.
std::int32_t check_prepared_task(const PreparedTask& task, bool has_ready, std::int64_t now_ms) {
  if (task.task_type == 2 && !has_ready) return result_code::kInvalidParameter;
  if (task.flight_id.empty() || task.file_url.empty() || task.task_type < 0 || task.task_type > 2 ||
      (task.task_type != 2 && task.execute_time <= 0)) {
    return result_code::kInvalidParameter;
  }
  if (task.task_type == 0 && std::llabs(task.execute_time - now_ms) > kImmediateTaskToleranceMs) {
    return result_code::kTimeNotSynced;
  }
  if (task.task_type == 1 && task.execute_time < now_ms - kImmediateTaskToleranceMs) {
    return result_code::kTimeNotSynced;  // a timed task in the past
  }
  return 0;
}

// The run flighttask_execute starts for `task`.
FlightRun new_flight_run(const std::string& flight_id, const PreparedTask& task, std::uint64_t generation) {
  FlightRun run;
  run.flight_id = flight_id;
  run.phase = FlightPhase::kPreparing;
  run.step = kPrepSteps[0].step;
  run.cruise_height_m = std::clamp(task.rth_altitude, 20, 500);
  run.generation = generation;
  run.track_id = flight_id + "-track";
  return run;
}

}  // namespace

void SimDock::register_flight_tasks() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::FlighttaskPrepare>([this](const auto& params, ServiceCall&) {
      return flighttask_prepare(prepared_task_of(params), params.ready_conditions.has_value(), params.file);
    });
    register_flight_control<Services>();
  });
}

// The services that run, pause, resume, cancel and bring home flight tasks, on the product's generated structs.
template <class Services>
void SimDock::register_flight_control() {
  serve<typename Services::FlighttaskExecute>(
      [this](const auto& params, ServiceCall&) { return flighttask_execute(params.flight_id); });
  serve<typename Services::FlighttaskUndo>(
      [this](const generated::shared::FlighttaskUndo& params, ServiceCall&) { return flighttask_undo(params); });
  serve<typename Services::FlighttaskPause>([this](const auto&, ServiceCall&) { return flighttask_pause(); });
  serve<typename Services::FlighttaskRecovery>([this](const auto&, ServiceCall&) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.flight.phase != FlightPhase::kWayline || !state_.flight.paused) {
      return ServiceReply::error(result_code::kResumeFailed);
    }
    state_.flight.paused = false;
    return ServiceReply::ok();
  });
  serve<typename Services::ReturnHome>([this](const auto&, ServiceCall&) { return return_home(); });
  // The aircraft stops returning and hovers where it is (mode 3, manual) until return_home.
  serve<typename Services::ReturnHomeCancel>([this](const auto&, ServiceCall&) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.flight.phase != FlightPhase::kReturn || state_.flight.hovering) {
      return ServiceReply::error(result_code::kCancelReturnHomeFailed);
    }
    state_.flight.hovering = true;
    state_.drone_mode_code = AircraftMode::kManualFlight;
    state_.horizontal_speed = 0;
    return ServiceReply::ok();
  });
}

ServiceReply SimDock::flighttask_pause() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.flight.phase != FlightPhase::kWayline || state_.flight.paused) {
      return ServiceReply::error(result_code::kCannotPause);
    }
    state_.flight.paused = true;
    state_.horizontal_speed = 0;
  }
  publish_flight_progress(ProgressStatus::kPaused, -1, 0, 0);
  return ServiceReply::ok();
}

ServiceReply SimDock::flighttask_prepare(PreparedTask task, bool has_ready,
                                         const generated::shared::FileFingerprint& kmz_file) {
  std::int32_t invalid = check_prepared_task(task, has_ready, clock_->wall_ms());
  if (invalid != 0) return ServiceReply::error(invalid);
  std::optional<dji::DjiFile> kmz = wayline_to_fetch(kmz_file);
  if (kmz) task.kmz = KmzState::kFetching;
  bool stored = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.mode_code == DockMode::kRemoteDebugging) return ServiceReply::error(result_code::kInRemoteDebug);
    if (state_.mode_code == DockMode::kFirmwareUpgrading)
      return ServiceReply::error(result_code::kTaskRefusedUpgrading);
    // An immediate task cannot start while another flight runs; timed and conditional ones may wait.
    if (task.task_type == 0 && state_.flight.phase != FlightPhase::kNone) {
      return ServiceReply::error(result_code::kOtherTaskRunning);
    }
    stored = prepared_has_room(state_.prepared, task.flight_id);
    if (stored && kmz) task.kmz_fetch = ++state_.kmz_fetches;
    if (stored) state_.prepared[task.flight_id] = task;
    if (stored && task.task_type == 2) start_ready_poll_locked();
  }
  if (stored && kmz) fetch_wayline(task.flight_id, *kmz, task.kmz_fetch);
  if (stored) return ServiceReply::ok();
  refuse(Refusal::kPreparedTasksFull, log_,
         sn_ + ": flighttask_prepare with " + std::to_string(limits::kMaxPreparedTasks) + " tasks prepared");
  return ServiceReply::error(result_code::kDockBusy);  // the dock's task list has no room
}

ServiceReply SimDock::flighttask_execute(const std::string& flight_id) {
  std::uint64_t generation;
  std::int64_t delay_ms = 100;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto task = state_.prepared.find(flight_id);
    if (task == state_.prepared.end()) return ServiceReply::error(result_code::kTaskNotFound);
    if (state_.flight.phase != FlightPhase::kNone) return ServiceReply::error(result_code::kOtherTaskRunning);
    if (state_.mode_code == DockMode::kRemoteDebugging) return ServiceReply::error(result_code::kInRemoteDebug);
    if (state_.mode_code == DockMode::kFirmwareUpgrading)
      return ServiceReply::error(result_code::kTaskRefusedUpgrading);
    if (!state_.job_method.empty()) return ServiceReply::error(result_code::kDockBusy);
    if (emergency_stop_pressed_locked()) return ServiceReply::error(result_code::kEmergencyStop);
    if (task->second.kmz == KmzState::kFetching) {
      task->second.execute_waiting = true;  // it flies once its KMZ is here (wayline_fetched)
      return ServiceReply::ok();
    }
    FlightRun run = new_flight_run(flight_id, task->second, ++state_.flight_generation);
    if (task->second.task_type == 1 && task->second.execute_time > clock_->wall_ms()) {
      // A timed task executed early waits for its execute_time (the wait runs at --speed).
      run.start_at_ms = task->second.execute_time;
      delay_ms = std::max<std::int64_t>(delay_ms,
                                        scaled_ms(static_cast<double>(run.start_at_ms - clock_->wall_ms()) / 1000.0));
    }
    state_.prepared.erase(task);
    state_.flight = run;
    generation = run.generation;
  }
  scheduler_.after(std::chrono::milliseconds(delay_ms), [this, generation] { flight_tick(generation); });
  return ServiceReply::ok();
}

ServiceReply SimDock::flighttask_undo(const generated::shared::FlighttaskUndo& params) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& id : params.flight_ids) {
    if (state_.flight.phase != FlightPhase::kNone && state_.flight.flight_id == id) {
      return ServiceReply::error(result_code::kCannotCancelRunningTask);
    }
  }
  for (const std::string& id : params.flight_ids) state_.prepared.erase(id);
  return ServiceReply::ok();
}

ServiceReply SimDock::return_home() {
  std::lock_guard<std::mutex> lock(mutex_);
  FlightPhase phase = state_.flight.phase;
  if (phase == FlightPhase::kReturn && state_.flight.hovering) {
    // Resumes a return that return_home_cancel stopped.
    state_.flight.hovering = false;
    state_.drone_mode_code = AircraftMode::kAutoReturnToHome;
    return ServiceReply::ok(R"({"status":"ok"})");
  }
  if (phase != FlightPhase::kTakeoff && phase != FlightPhase::kWayline) {
    return ServiceReply::error(result_code::kDeviceStateForbids);
  }
  state_.flight.phase = FlightPhase::kReturn;
  state_.flight.step = 26;
  state_.flight.phase_elapsed_s = 0;
  state_.flight.paused = false;
  state_.flight.returning_early = true;
  state_.drone_mode_code = AircraftMode::kAutoReturnToHome;
  return ServiceReply::ok(R"({"status":"ok"})");
}

int SimDock::flight_percent_locked() const {
  const FlightRun& run = state_.flight;
  switch (run.phase) {
    case FlightPhase::kPreparing:
      return run.step * 10 / 25;
    case FlightPhase::kTakeoff:
      return 10 + static_cast<int>(5 * state_.drone_elevation / run.cruise_height_m);
    case FlightPhase::kWayline:
      return 15 + static_cast<int>(70 * run.route_progress_m / kRouteLength);
    case FlightPhase::kReturn:
      return 85;
    case FlightPhase::kLanding:
      return 90;
    case FlightPhase::kClosing:
      return 95;
    case FlightPhase::kNone:
      return 100;
  }
  return 0;
}

namespace {

using MissionState = generated::shared::FlighttaskProgressEventOutputExtWaylineMissionState;

// ext.wayline_mission_state of a run: start triggered (preparing), entering the wayline (takeoff), executing or
// interrupted (paused), stopped (returning, landing or done).
MissionState mission_state_of(const FlightRun& run) {
  if (run.phase >= FlightPhase::kReturn || run.phase == FlightPhase::kNone) return MissionState::kStopped;
  if (run.phase == FlightPhase::kWayline) return run.paused ? MissionState::kInterrupted : MissionState::kExecuting;
  if (run.phase == FlightPhase::kTakeoff) return MissionState::kEnteringWayline;
  return MissionState::kTriggered;
}

}  // namespace

// Publishes flighttask_progress for the current run; percent < 0 means "compute it", step < 0 "the current one".
void SimDock::publish_flight_progress(ProgressStatus status, int percent, std::int32_t result, int break_reason,
                                      int step) {
  generated::shared::FlighttaskProgressEvent event;
  event.result = result;
  auto& output = event.output.emplace();
  output.status = status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const FlightRun& run = state_.flight;
    int waypoint = 0;
    double east, north, heading;
    route_point(run.route_progress_m, east, north, heading, waypoint);
    auto& progress = output.progress.emplace();
    progress.current_step = flight_step_number(product_, step < 0 ? run.step : step);
    progress.percent = percent < 0 ? flight_percent_locked() : percent;
    auto& ext = output.ext.emplace();
    ext.current_waypoint_index = waypoint;
    ext.wayline_mission_state = mission_state_of(run);
    ext.media_count = static_cast<std::int64_t>(run.shots.size());
    ext.track_id = run.track_id;
    ext.flight_id = run.flight_id;
    ext.wayline_id = 0;
    if (break_reason != 0) {
      auto& point = ext.break_point.emplace();
      point.index = waypoint;
      point.state = generated::shared::BreakPointState::kOnASegment;
      point.progress = std::round(run.route_progress_m / kRouteLength * 1000) / 1000;  // 3 decimals, as before
      point.wayline_id = 0;
      point.break_reason = break_reason;
    }
  }
  EventOptions options;
  options.need_reply = true;
  // The demo cloud treats the progress bid as the flight id (docs/protocol.md#correlation).
  options.bid = *output.ext->flight_id;
  samples::warn_if_failed(log_, publish_event(*client_, event, options), event.kMethod);
}

/// What one flight tick did, collected under the lock and acted on after it.
struct FlightTick {
  std::vector<int> entered_steps;  ///< Several steps may pass in one tick; each gets its event.
  bool topology_changed = false;   ///< The aircraft powered on.
  bool request_resource = false;   ///< Step 16 asks the cloud for the KMZ URL.
  bool finished = false;           ///< The dock closed after landing.
  bool report_now = false;         ///< A wayline progress event is due.
  ProgressStatus final_status = ProgressStatus::kOk;
  int break_reason = 0;
  std::string flight_id;
};

namespace {

// What entering a step of the current_step sequence does to the dock and aircraft (docs/protocol.md#flight-steps):
// the step table that flight_tick's phases walk. Steps not listed change nothing by themselves.
struct StepEffect {
  int step;
  void (*apply)(DockState& s, FlightTick& tick);
};

void open_cover(DockState& s, FlightTick&) { s.cover_state = 1; }

const StepEffect kStepEffects[] = {
    {6,
     [](DockState& s, FlightTick&) {
       s.mode_code = DockMode::kWorking;
       s.flighttask_step_code = 0;
     }},
    {7,
     [](DockState& s, FlightTick& tick) {
       s.cover_state = 2;
       s.charging = false;
       if (!s.drone_powered) {
         s.drone_powered = true;
         s.drone_mode_code = AircraftMode::kStandby;
         tick.topology_changed = true;
       }
     }},
    {8, open_cover},
    {9, open_cover},
    {16, [](DockState&, FlightTick& tick) { tick.request_resource = true; }},
    {25,
     [](DockState& s, FlightTick&) {
       s.drone_in_dock = false;
       s.drone_mode_code = AircraftMode::kAutomaticTakeoff;
       s.flighttask_step_code = 1;
       s.vertical_speed = kClimbRate;
     }},
    {26, [](DockState& s, FlightTick&) { s.drone_mode_code = AircraftMode::kAutoReturnToHome; }},
    {27,
     [](DockState& s, FlightTick&) {
       s.cover_state = 1;  // force-closed while away: opens for landing
       s.drone_mode_code = AircraftMode::kAutomaticLanding;
       s.horizontal_speed = 0;
       s.vertical_speed = -kDescentRate;
     }},
    {28,
     [](DockState& s, FlightTick&) {
       s.cover_state = 2;
       s.flighttask_step_code = 2;
     }},
    {29,
     [](DockState& s, FlightTick&) {
       s.cover_state = 0;
       s.mode_code = DockMode::kIdle;
       s.flighttask_step_code = 5;
     }},
};

// Offset (north, east) in metres of the aircraft from the dock.
void offset_from_dock(const DockState& s, double& north, double& east) {
  north = (s.drone_latitude - s.latitude) * kMetersPerDegree;
  east = (s.drone_longitude - s.longitude) * meters_per_degree_longitude(s.latitude);
}

}  // namespace

void SimDock::enter_flight_step_locked(FlightTick& tick, FlightPhase phase, int step) {
  FlightRun& run = state_.flight;
  run.phase = phase;
  run.step = step;
  run.phase_elapsed_s = 0;
  tick.entered_steps.push_back(step);
  for (const StepEffect& effect : kStepEffects) {
    if (effect.step == step) effect.apply(state_, tick);
  }
}

// Preparing and closing: the timed steps of kPrepSteps / kCloseSteps. False when the budget ran out in a step.
bool SimDock::flight_sequence_locked(FlightTick& tick, double& budget) {
  FlightRun& run = state_.flight;
  bool preparing = run.phase == FlightPhase::kPreparing;
  const PrepStep* steps = preparing ? kPrepSteps : kCloseSteps;
  std::size_t count = preparing ? std::size(kPrepSteps) : std::size(kCloseSteps);
  std::size_t at = 0;
  while (at < count && steps[at].step != run.step) ++at;
  double left = steps[at].seconds - run.phase_elapsed_s;
  double used = std::min(budget, left);
  run.phase_elapsed_s += used;
  budget -= used;
  if (run.phase_elapsed_s + 1e-9 < steps[at].seconds) return false;
  std::size_t next = at + 1;
  while (next < count && is_dock1(product_) && (steps[next].step == 8 || steps[next].step == 22)) ++next;
  if (next < count) {
    enter_flight_step_locked(tick, run.phase, steps[next].step);
  } else if (preparing) {
    enter_flight_step_locked(tick, FlightPhase::kTakeoff, 25);
  } else {
    tick.finished = true;
    if (run.returning_early) {
      tick.final_status = is_dock1(product_) ? ProgressStatus::kOk : ProgressStatus::kPartiallyDone;
      tick.break_reason = kUserReturnHomeBreakReason;
    }
    ++state_.job_number;
    state_.drone_storage_used_kb += static_cast<std::int64_t>(run.route_progress_m) * 100;
    run.phase = FlightPhase::kNone;
  }
  return true;
}

// Takeoff: the climb to the cruise height, then the wayline (still step 25).
bool SimDock::flight_climb_locked(double& budget) {
  FlightRun& run = state_.flight;
  double used = std::min(budget, (run.cruise_height_m - state_.drone_elevation) / kClimbRate);
  state_.drone_elevation += used * kClimbRate;
  budget -= used;
  if (state_.drone_elevation + 1e-6 < run.cruise_height_m) return false;
  run.phase = FlightPhase::kWayline;
  state_.drone_mode_code = AircraftMode::kWaylineFlight;
  state_.vertical_speed = 0;
  state_.horizontal_speed = kCruiseSpeed;
  return true;
}

// Along the square wayline, taking photos; at its end the return (step 26).
bool SimDock::flight_wayline_locked(FlightTick& tick, double& budget) {
  FlightRun& run = state_.flight;
  if (run.paused) return false;
  double used = std::min(budget, (kRouteLength - run.route_progress_m) / kCruiseSpeed);
  run.route_progress_m += used * kCruiseSpeed;
  state_.total_flight_distance += used * kCruiseSpeed;
  budget -= used;
  double east, north, heading;
  int waypoint;
  route_point(run.route_progress_m, east, north, heading, waypoint);
  state_.drone_latitude = state_.latitude + north / kMetersPerDegree;
  state_.drone_longitude = state_.longitude + east / meters_per_degree_longitude(state_.latitude);
  state_.drone_heading = heading;
  take_photos_if_due_locked();  // media_upload.cpp
  tick.report_now = run.ticks % 4 == 0;
  if (run.route_progress_m + 1e-6 < kRouteLength) return false;
  enter_flight_step_locked(tick, FlightPhase::kReturn, 26);
  return true;
}

// Return: RTH checks, then a straight flight back over the dock, then the landing (step 27).
bool SimDock::flight_return_locked(FlightTick& tick, double& budget) {
  FlightRun& run = state_.flight;
  if (run.hovering) return false;
  if (run.phase_elapsed_s < kRthCheckSeconds) {
    double used = std::min(budget, kRthCheckSeconds - run.phase_elapsed_s);
    run.phase_elapsed_s += used;
    budget -= used;
    return true;
  }
  double north, east;
  offset_from_dock(state_, north, east);
  double distance = std::hypot(north, east);
  double used = std::min(budget, distance / kReturnSpeed);
  budget -= used;
  double remaining = distance - used * kReturnSpeed;
  if (distance > 1e-6) {
    state_.drone_latitude = state_.latitude + north / distance * remaining / kMetersPerDegree;
    state_.drone_longitude =
        state_.longitude + east / distance * remaining / meters_per_degree_longitude(state_.latitude);
    state_.drone_heading = std::atan2(-east, -north) * 180.0 / M_PI;
  }
  state_.horizontal_speed = remaining > 1e-6 ? kReturnSpeed : 0;
  if (remaining > 1e-6) return false;
  state_.drone_latitude = state_.latitude;
  state_.drone_longitude = state_.longitude;
  enter_flight_step_locked(tick, FlightPhase::kLanding, 27);
  return true;
}

// Landing: the descent into the dock, then the closing steps (step 28).
bool SimDock::flight_landing_locked(FlightTick& tick, double& budget) {
  double used = std::min(budget, state_.drone_elevation / kDescentRate);
  state_.drone_elevation -= used * kDescentRate;
  budget -= used;
  if (state_.drone_elevation > 1e-6) return false;
  state_.drone_elevation = 0;
  state_.vertical_speed = 0;
  state_.drone_in_dock = true;
  state_.drone_mode_code = AircraftMode::kStandby;
  ++state_.total_flight_sorties;
  enter_flight_step_locked(tick, FlightPhase::kClosing, 28);
  return true;
}

// One phase's share of the tick; false when the phase waits for the next tick.
bool SimDock::flight_phase_locked(FlightTick& tick, double& budget) {
  switch (state_.flight.phase) {
    case FlightPhase::kPreparing:
    case FlightPhase::kClosing:
      return flight_sequence_locked(tick, budget);
    case FlightPhase::kTakeoff:
      return flight_climb_locked(budget);
    case FlightPhase::kWayline:
      return flight_wayline_locked(tick, budget);
    case FlightPhase::kReturn:
      return flight_return_locked(tick, budget);
    case FlightPhase::kLanding:
      return flight_landing_locked(tick, budget);
    case FlightPhase::kNone:
      break;
  }
  return false;
}

// One tick of a running flight: consumes simulated time step by step, reporting every step entered.
void SimDock::flight_tick(std::uint64_t generation) {
  double tick_real_s = std::clamp(1.0 / options_.speed, 0.1, 0.5);
  double budget = tick_real_s * options_.speed;
  FlightTick tick;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    FlightRun& run = state_.flight;
    if (run.generation != generation || run.phase == FlightPhase::kNone) return;
    advance_battery_locked();
    tick.flight_id = run.flight_id;
    while (budget > 1e-9 && run.phase != FlightPhase::kNone) {
      if (!flight_phase_locked(tick, budget)) break;
    }
    if (!state_.drone_in_dock) state_.total_flight_time += tick_real_s * options_.speed - budget;
    ++run.ticks;
  }
  report_flight_tick(tick);
  if (tick.finished) return;
  scheduler_.after(std::chrono::milliseconds(static_cast<std::int64_t>(tick_real_s * 1000)),
                   [this, generation] { flight_tick(generation); });
}

// After the tick's lock: topology, the resource request of step 16, and the progress events.
void SimDock::report_flight_tick(const FlightTick& tick) {
  if (tick.topology_changed) update_topology();
  if (tick.request_resource) {
    // Step 16 "get latest KMZ URL": the dock asks the cloud; the answer is not needed to carry on here.
    generated::shared::FlighttaskResourceGetRequest request;
    request.flight_id = tick.flight_id;
    samples::warn_if_failed(log_,
                            send_request<generated::shared::FlighttaskResourceGetRequestReply>(*client_, request, {}),
                            "flighttask_resource_get");
  }
  if (tick.finished) {
    for (int step : tick.entered_steps) publish_flight_progress(ProgressStatus::kInProgress, 95, 0, 0, step);
    publish_flight_progress(tick.final_status, 100, 0, tick.break_reason, kCloseSteps[std::size(kCloseSteps) - 1].step);
    publish_flight_media(tick.flight_id);  // back in the dock: the photos are uploaded (media_upload.cpp)
    return;
  }
  for (int step : tick.entered_steps) publish_flight_progress(ProgressStatus::kInProgress, -1, 0, 0, step);
  if (tick.entered_steps.empty() && tick.report_now) publish_flight_progress(ProgressStatus::kInProgress, -1, 0, 0);
}

}  // namespace docklink::sim
