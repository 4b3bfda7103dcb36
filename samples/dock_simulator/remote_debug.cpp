// Remote debugging (docs/protocol.md#services): debug_mode_open/close switch mode_code; the device-control jobs run
// only in remote debugging mode, one at a time, as timed step sequences whose effects show in OSD and topology.
#include "docklink/result_codes.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

/// A job in flight: its handle, its table entry and the generation that cancels it when bumped.
struct RunningJob {
  Job job;
  DebugJob spec;
  std::uint64_t generation = 0;
  double total_seconds = 0;
};

namespace {

// Step effects, result checks and end effects of the jobs (what OSD and topology show while and after they run).
void cover_moving(DockState& s) { s.cover_state = 2; }
void putter_moving(DockState& s) { s.putter_state = 2; }
void drone_booting(DockState& s) { s.drone_mode_code = AircraftMode::kNotConnected; }  // not linked yet
std::int32_t cover_must_be_closed(const DockState& s) {
  return s.cover_state != 0 ? result_code::kCoverNotInPlace : result_code::kSuccess;  // charging needs it closed
}
// A pressed emergency stop halts every job that checks it, before anything moves (docs/protocol.md#services, 514121).
std::int32_t scram_released(const DockState& s) {
  return s.emergency_stop_state != 0 ? result_code::kEmergencyStop : result_code::kSuccess;
}
void cover_opened(DockState& s) { s.cover_state = 1; }
void cover_closed(DockState& s) { s.cover_state = 0; }
void putter_opened(DockState& s) { s.putter_state = 1; }
void putter_closed(DockState& s) { s.putter_state = 0; }
void charging_started(DockState& s) { s.charging = true; }
void charging_stopped(DockState& s) { s.charging = false; }
void dock_formatted(DockState& s) { s.dock_storage_used_kb = 0; }
void drone_formatted(DockState& s) { s.drone_storage_used_kb = 0; }
void drone_powered_on(DockState& s) {
  s.drone_powered = true;
  s.drone_mode_code = AircraftMode::kStandby;
}
void drone_powered_off(DockState& s) {
  s.drone_powered = false;
  s.drone_mode_code = AircraftMode::kNotConnected;
}
// After a reboot the dock comes back idle with the cover closed and remote debugging left.
void rebooted(DockState& s) {
  s.mode_code = DockMode::kIdle;
  s.cover_state = 0;
  s.charging = false;
  s.supplement_light_state = 0;
}
std::int32_t needs_powered_drone(const DockState& s) {
  return s.drone_powered ? result_code::kSuccess : result_code::kAircraftNotConnected;
}
std::int32_t needs_drone_in_dock_to_power_off(const DockState& s) {
  return s.drone_in_dock ? result_code::kSuccess : result_code::kDronePowerOffFailed;
}
std::int32_t needs_drone_in_dock_to_charge(const DockState& s) {
  return s.drone_in_dock ? result_code::kSuccess : result_code::kChargeStartFailed;
}

// Steps every remote-debug job starts with (docs/protocol.md#jobs).
const std::vector<JobStep> kChecks = {{"get_bid", 0.5},
                                      {"check_work_mode", 0.5},
                                      {"check_task_state", 0.5},
                                      {"check_scram_state", 0.5, nullptr, scram_released}};

std::vector<JobStep> with_checks(std::vector<JobStep> tail) {
  std::vector<JobStep> steps = kChecks;
  steps.insert(steps.end(), tail.begin(), tail.end());
  return steps;
}

constexpr double kLongStepSeconds = 3.0;  // steps at least this long also report at 1/3 and 2/3

// The remote-debug jobs as data (docs/protocol.md#jobs): each step with its step_key, simulated duration, effect and
// check, and what the job's end leaves. Which of them a dock has is its thing model's business (only Dock 1 has the
// putter).
std::vector<DebugJob> debug_jobs() {
  return {
      {"cover_open", with_checks({{"open_cover", 15, cover_moving}}), cover_opened},
      // The aircraft is switched on so its propellers can be turned clear of the cover.
      {"cover_close",
       with_checks({{"turn_on_drone", 1},
                    {"drone_paddle_forward", 3},
                    {"close_cover", 15, cover_moving},
                    {"drone_paddle_reverse", 3},
                    {"drone_paddle_stop", 1}}),
       cover_closed},
      // Force-closing the cover is for an aircraft that is not coming back to the dock now, so it needs neither
      // remote debugging nor an idle dock, only an empty one (docs/protocol.md#services).
      {"cover_force_close", {{"", 10, cover_moving}}, cover_closed, nullptr, false},
      {"drone_open", with_checks({{"", 20, drone_booting}}), drone_powered_on},  // the docs show no step_key
      {"drone_close", with_checks({{"close_drone", 5}}), drone_powered_off, needs_drone_in_dock_to_power_off},
      {"charge_open", with_checks({{"check_cover", 1, nullptr, cover_must_be_closed}, {"start_charge", 3}}),
       charging_started, needs_drone_in_dock_to_charge},
      {"charge_close", with_checks({{"check_cover", 1}, {"stop_charge", 3}}), charging_stopped},
      {"device_format", with_checks({{"format", 10}}), dock_formatted},
      {"drone_format", with_checks({{"format", 10}}), drone_formatted, needs_powered_drone},
      {"device_reboot",
       {{"get_bid", 0.5},
        {"check_ac_input_state", 0.5},
        {"upgrading_prevent_reboot", 0.5},
        {"check_work_mode", 0.5},
        {"check_task_state", 0.5},
        {"write_reboot_param_file", 2}},
       rebooted},
      {"putter_open", with_checks({{"free_putter", 5, putter_moving}}), putter_opened},
      {"putter_close", with_checks({{"close_putter", 5, putter_moving}}), putter_closed},
  };
}

// The table entry of the remote-debug job `method` (no steps for a method without a job).
DebugJob debug_job(const char* method) {
  for (DebugJob& job : debug_jobs()) {
    if (std::string(method) == job.method) return std::move(job);
  }
  return {method, {}};
}

}  // namespace

void SimDock::register_remote_debug() {
  visit_services(product_, [this](auto services) { register_remote_debug_services<decltype(services)>(); });
}

// Remote debugging on the product's generated structs (none of these services has parameters to read).
template <class Services>
void SimDock::register_remote_debug_services() {
  serve<typename Services::DebugModeOpen>([this](const auto&, ServiceCall&) { return debug_mode_open(); });
  serve<typename Services::DebugModeClose>([this](const auto&, ServiceCall&) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!state_.job_method.empty()) return ServiceReply::error(result_code::kDockBusyWithCommand);
    if (state_.mode_code == DockMode::kRemoteDebugging) state_.mode_code = DockMode::kIdle;
    return ServiceReply::ok(R"({"status":"ok"})");
  });
  serve<typename Services::SupplementLightOpen>([this](const auto&, ServiceCall&) { return supplement_light(true); });
  serve<typename Services::SupplementLightClose>([this](const auto&, ServiceCall&) { return supplement_light(false); });
  serve_debug_job<typename Services::CoverOpen>();
  serve_debug_job<typename Services::CoverClose>();
  serve_debug_job<typename Services::CoverForceClose>();
  serve_debug_job<typename Services::DroneOpen>();
  serve_debug_job<typename Services::DroneClose>();
  serve_debug_job<typename Services::ChargeOpen>();
  serve_debug_job<typename Services::ChargeClose>();
  serve_debug_job<typename Services::DeviceFormat>();
  serve_debug_job<typename Services::DroneFormat>();
  serve_debug_job<typename Services::DeviceReboot>();
  if constexpr (has_service_v<Services, PutterOpenOf>) {
    serve_debug_job<typename Services::PutterOpen>();
    serve_debug_job<typename Services::PutterClose>();
  }
}

// The job service `Params` runs its method's entry in debug_jobs().
template <class Params>
void SimDock::serve_debug_job() {
  DebugJob spec = debug_job(Params::kMethod);
  serve<Params>([this, spec](const Params&, ServiceCall& call) { return start_debug_job(call, spec); });
}

ServiceReply SimDock::debug_mode_open() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_.mode_code == DockMode::kFirmwareUpgrading) return ServiceReply::error(result_code::kDockUpgrading);
  if (state_.mode_code == DockMode::kWorking || state_.flight.phase != FlightPhase::kNone)
    return ServiceReply::error(result_code::kDockWorking);
  state_.mode_code = DockMode::kRemoteDebugging;
  return ServiceReply::ok(R"({"status":"ok"})");
}

ServiceReply SimDock::supplement_light(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_.mode_code != DockMode::kRemoteDebugging) return ServiceReply::error(result_code::kNotInRemoteDebug);
  state_.supplement_light_state = on ? 1 : 0;
  return ServiceReply::ok(R"({"status":"ok"})");
}

std::int32_t SimDock::check_job_locked(const DebugJob& spec) const {
  if (!spec.needs_remote_debug) {
    if (state_.drone_in_dock) return result_code::kCoverCloseFailed;  // cover_force_close: only an empty dock
    return state_.job_method.empty() ? result_code::kSuccess : result_code::kDockBusyWithCommand;
  }
  // Outside remote debugging the code says why: a flight (aircraft out), an upgrade, or plain idle mode.
  if (state_.mode_code == DockMode::kWorking || state_.flight.phase != FlightPhase::kNone)
    return result_code::kDockWorking;
  if (state_.mode_code == DockMode::kFirmwareUpgrading) return result_code::kDockUpgrading;
  if (state_.mode_code != DockMode::kRemoteDebugging) return result_code::kNotInRemoteDebug;
  if (!state_.job_method.empty()) return result_code::kDockBusyWithCommand;
  return spec.precondition != nullptr ? spec.precondition(state_) : result_code::kSuccess;
}

ServiceReply SimDock::start_debug_job(ServiceCall& call, const DebugJob& spec) {
  auto job = std::make_shared<RunningJob>();
  job->spec = spec;
  for (const auto& step : job->spec.steps) job->total_seconds += step.seconds;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int32_t code = check_job_locked(job->spec);
    if (code != 0) return ServiceReply::error(code);
    state_.job_method = job->spec.method;
    job->generation = ++state_.job_generation;
  }
  job->job = call.start_job();
  // A short real delay so the services_reply leaves before the first progress event.
  scheduler_.after(std::chrono::milliseconds(100), [this, job] { run_job_step(job, 0, 0); });
  return ServiceReply::ok();
}

// Runs on the scheduler thread: reports step `index` (part 0, 1, 2 of a long step) and schedules the next.
void SimDock::run_job_step(std::shared_ptr<RunningJob> job, std::size_t index, int percent_in_step) {
  JobProgress progress;
  bool topology_changed = false;
  std::int32_t failure = 0;
  bool done = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.job_generation != job->generation) return;  // cancelled (reboot, shutdown)
    const std::vector<JobStep>& steps = job->spec.steps;
    if (index == steps.size()) {
      bool powered = state_.drone_powered;
      if (job->spec.on_done != nullptr) job->spec.on_done(state_);
      topology_changed = powered != state_.drone_powered;  // the aircraft joined or left the topology
      state_.job_method.clear();
      done = true;
    } else {
      const JobStep& step = steps[index];
      if (percent_in_step == 0) {
        if (step.on_start != nullptr) step.on_start(state_);
        failure = step.check != nullptr ? step.check(state_) : result_code::kSuccess;
        if (failure != 0) {
          state_.job_method.clear();
          done = true;
        }
      }
      double before = 0;
      for (std::size_t i = 0; i < index; ++i) before += steps[i].seconds;
      before += step.seconds * percent_in_step / 3.0;
      progress.percent = static_cast<int>(before * 100.0 / job->total_seconds);
      progress.step_key = step.step_key;
    }
  }
  if (done) {
    if (topology_changed) update_topology();
    samples::warn_if_failed(log_, job->job.finish(failure == 0 ? JobStatus::kOk : JobStatus::kFailed, failure),
                            "remote debug job finish");
    return;
  }
  samples::warn_if_failed(log_, job->job.report(progress), "remote debug job progress");
  const JobStep& step = job->spec.steps[index];
  bool split = step.seconds >= kLongStepSeconds;
  double wait_s = split ? step.seconds / 3.0 : step.seconds;
  std::size_t next_index = split && percent_in_step < 2 ? index : index + 1;
  int next_part = split && percent_in_step < 2 ? percent_in_step + 1 : 0;
  scheduler_.after(std::chrono::milliseconds(scaled_ms(wait_s)),
                   [this, job, next_index, next_part] { run_job_step(job, next_index, next_part); });
}

}  // namespace docklink::sim
