// Remote debugging (docs/protocol.md#services): debug_mode_open/close switch mode_code; the device-control jobs run
// only in remote debugging mode, one at a time, as timed step sequences whose effects show in OSD and topology.
#include "docklink/result_codes.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

/// A job in flight: its handle, its steps and the generation that cancels it when bumped.
struct RunningJob {
  Job job;
  std::string method;
  std::vector<JobStep> steps;
  std::uint64_t generation = 0;
  double total_seconds = 0;
};

namespace {

// Steps every remote-debug job starts with (docs/protocol.md#jobs).
const std::vector<JobStep> kChecks = {
    {"get_bid", 0.5}, {"check_work_mode", 0.5}, {"check_task_state", 0.5}, {"check_scram_state", 0.5}};

std::vector<JobStep> with_checks(std::vector<JobStep> tail) {
  std::vector<JobStep> steps = kChecks;
  steps.insert(steps.end(), tail.begin(), tail.end());
  return steps;
}

constexpr double kLongStepSeconds = 3.0;  // steps at least this long also report at 1/3 and 2/3

/// A remote-debug job: its method and the step sequence it runs (docs/protocol.md#jobs).
struct DebugJob {
  const char* method;
  std::vector<JobStep> steps;
};

// The remote-debug jobs, as data: each step with its step_key and simulated duration. Which of them a dock has is its
// thing model's business (only Dock 1 has the putter).
std::vector<DebugJob> debug_jobs() {
  std::vector<DebugJob> specs = {
      {"cover_open", with_checks({{"open_cover", 15}})},
      // Step list (docs/protocol.md#jobs): the aircraft is switched on so its propellers can be turned clear of the
      // cover.
      {"cover_close", with_checks({{"turn_on_drone", 1},
                                   {"drone_paddle_forward", 3},
                                   {"close_cover", 15},
                                   {"drone_paddle_reverse", 3},
                                   {"drone_paddle_stop", 1}})},
      {"drone_open", with_checks({{"", 20}})},  // the docs show no step_key for drone_open
      {"drone_close", with_checks({{"close_drone", 5}})},
      {"charge_open", with_checks({{"check_cover", 1}, {"start_charge", 3}})},
      {"charge_close", with_checks({{"check_cover", 1}, {"stop_charge", 3}})},
      {"device_format", with_checks({{"format", 10}})},
      {"drone_format", with_checks({{"format", 10}})},
      {"device_reboot",
       {{"get_bid", 0.5},
        {"check_ac_input_state", 0.5},
        {"upgrading_prevent_reboot", 0.5},
        {"check_work_mode", 0.5},
        {"check_task_state", 0.5},
        {"write_reboot_param_file", 2}}},
  };
  // Force-closing the cover is for an aircraft that is not coming back to the dock now, so it needs neither
  // remote debugging nor an idle dock, only an empty one (docs/protocol.md#services).
  specs.push_back({"cover_force_close", {{"", 10}}});
  specs.push_back({"putter_open", with_checks({{"free_putter", 5}})});
  specs.push_back({"putter_close", with_checks({{"close_putter", 5}})});
  return specs;
}

// The steps of the remote-debug job `method` (none for a method without a job).
std::vector<JobStep> debug_job_steps(const std::string& method) {
  for (DebugJob& job : debug_jobs()) {
    if (method == job.method) return std::move(job.steps);
  }
  return {};
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

// The job service `Params` runs the steps of its method's entry in debug_jobs().
template <class Params>
void SimDock::serve_debug_job() {
  std::vector<JobStep> steps = debug_job_steps(Params::kMethod);
  serve<Params>([this, steps](const Params&, ServiceCall& call) { return start_debug_job(call, steps); });
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

std::int32_t SimDock::check_job_locked(const std::string& method) const {
  if (method == "cover_force_close") {
    if (state_.drone_in_dock) return result_code::kCoverCloseFailed;
    return state_.job_method.empty() ? result_code::kSuccess : result_code::kDockBusyWithCommand;
  }
  // Outside remote debugging the code says why: a flight (aircraft out), an upgrade, or plain idle mode.
  if (state_.mode_code == DockMode::kWorking || state_.flight.phase != FlightPhase::kNone)
    return result_code::kDockWorking;
  if (state_.mode_code == DockMode::kFirmwareUpgrading) return result_code::kDockUpgrading;
  if (state_.mode_code != DockMode::kRemoteDebugging) return result_code::kNotInRemoteDebug;
  if (!state_.job_method.empty()) return result_code::kDockBusyWithCommand;
  if (method == "drone_format" && !state_.drone_powered) return result_code::kAircraftNotConnected;
  if (method == "drone_close" && !state_.drone_in_dock) return result_code::kDronePowerOffFailed;
  if (method == "charge_open" && !state_.drone_in_dock) return result_code::kChargeStartFailed;
  return result_code::kSuccess;
}

ServiceReply SimDock::start_debug_job(ServiceCall& call, std::vector<JobStep> steps) {
  auto job = std::make_shared<RunningJob>();
  job->method = std::string(call.method());
  job->steps = std::move(steps);
  for (const auto& step : job->steps) job->total_seconds += step.seconds;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int32_t code = check_job_locked(job->method);
    if (code != 0) return ServiceReply::error(code);
    state_.job_method = job->method;
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
    if (index == job->steps.size()) {
      failure = apply_job_done_locked(job->method, topology_changed);
      state_.job_method.clear();
      done = true;
    } else {
      const JobStep& step = job->steps[index];
      if (percent_in_step == 0) {
        failure = 0;
        apply_job_step_locked(job->method, step.step_key);
        if (job->method == "charge_open" && std::string(step.step_key) == "check_cover" && state_.cover_state != 0) {
          failure = result_code::kCoverNotInPlace;  // charging needs the cover closed
        }
        // A pressed emergency stop halts every job that checks it, before anything moves (docs/protocol.md#services,
        // 514121).
        if (std::string(step.step_key) == "check_scram_state" && emergency_stop_pressed_locked()) {
          failure = result_code::kEmergencyStop;
        }
        if (failure != 0) {
          state_.job_method.clear();
          done = true;
        }
      }
      double before = 0;
      for (std::size_t i = 0; i < index; ++i) before += job->steps[i].seconds;
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
  const JobStep& step = job->steps[index];
  bool split = step.seconds >= kLongStepSeconds;
  double wait_s = split ? step.seconds / 3.0 : step.seconds;
  std::size_t next_index = split && percent_in_step < 2 ? index : index + 1;
  int next_part = split && percent_in_step < 2 ? percent_in_step + 1 : 0;
  scheduler_.after(std::chrono::milliseconds(scaled_ms(wait_s)),
                   [this, job, next_index, next_part] { run_job_step(job, next_index, next_part); });
}

void SimDock::apply_job_step_locked(const std::string& method, const std::string& step_key) {
  if (step_key == "open_cover" || step_key == "close_cover" || method == "cover_force_close") state_.cover_state = 2;
  if (step_key == "free_putter" || step_key == "close_putter") state_.putter_state = 2;
  if (method == "drone_open" && step_key.empty())
    state_.drone_mode_code = AircraftMode::kNotConnected;  // booting, not linked yet
}

std::int32_t SimDock::apply_job_done_locked(const std::string& method, bool& topology_changed) {
  if (method == "cover_open") state_.cover_state = 1;
  if (method == "cover_close" || method == "cover_force_close") state_.cover_state = 0;
  if (method == "putter_open") state_.putter_state = 1;
  if (method == "putter_close") state_.putter_state = 0;
  if (method == "charge_open") state_.charging = true;
  if (method == "charge_close") state_.charging = false;
  if (method == "device_format") state_.dock_storage_used_kb = 0;
  if (method == "drone_format") state_.drone_storage_used_kb = 0;
  if (method == "drone_open") {
    topology_changed = !state_.drone_powered;
    state_.drone_powered = true;
    state_.drone_mode_code = AircraftMode::kStandby;
  }
  if (method == "drone_close") {
    topology_changed = state_.drone_powered;
    state_.drone_powered = false;
    state_.drone_mode_code = AircraftMode::kNotConnected;
  }
  if (method == "device_reboot") {
    // After a reboot the dock comes back idle with the cover closed and remote debugging left.
    state_.mode_code = DockMode::kIdle;
    state_.cover_state = 0;
    state_.charging = false;
    state_.supplement_light_state = 0;
  }
  return result_code::kSuccess;
}

}  // namespace docklink::sim
