// 4G dongles with eSIM and RTK calibration (docs/protocol.md#services, Dock 2/3): esim_activate, sim_slot_switch,
// esim_operator_switch and, on Dock 3, rtk_calibration. Their effects show in the dongle_infos and rtcm_info state
// groups (#dock-properties). Dock 1 registers none of them: its thing model does not know them, so the validator
// answers 325001.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>

#include "docklink/result_codes.hpp"
#include "json_write.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

/// An eSIM job (esim_activate or esim_operator_switch) on one dongle.
struct EsimRun {
  Job job;
  std::string imei;         ///< The dongle it runs on.
  int target_operator = 0;  ///< esim_operator_switch: the operator to enable; 0: esim_activate.
  int percent = 0;          ///< Progress reported next.
};

/// An rtk_calibration job: the dock's manually entered position.
struct RtkRun {
  Job job;
  double latitude = 0, longitude = 0, height = 0;
  bool reported_start = false;  ///< The in_progress event went out.
};

namespace {

// The result codes of module 326 (docs/protocol.md#result-codes) give these ranges only: 002–010 dongle/SIM missing (or
// to upgrade, or 4G link failed), 103–107 eSIM busy/abnormal. The simulator uses the first code of each range for its
// cases (result_code::kDongleMissing, kEsimBusy, kEsimNotActive).

constexpr int kEsimPercentStep = 25;
constexpr double kEsimStepSeconds = 5.0;         // 20 simulated seconds per eSIM job
constexpr double kRtkCalibrationSeconds = 10.0;  // from the in_progress event to the result
constexpr const char* kDockRtkModule = "3";      // rtk_calibration module: "3" dock, "6" relay (none simulated)
constexpr int kOperatorCount = 3;                // 1 China Mobile, 2 China Unicom, 3 China Telecom

std::string digits(std::uint64_t value, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%0*" PRIu64, width, value);
  return text;
}

// The dongle of `device_type` ("dock"/"drone") of dock `index`: numbers derived from the index, so every dock of a
// fleet has its own and a test can compute them.
Dongle make_dongle(const char* device_type, int index) {
  const std::uint64_t serial = static_cast<std::uint64_t>(index) * 2 + (std::string(device_type) == "dock" ? 1 : 2);
  Dongle dongle;
  dongle.device_type = device_type;
  dongle.imei = "86" + digits(serial, 13);
  dongle.eid = "89049032" + digits(serial, 24);
  dongle.sim_iccid = "8986" + digits(serial * 10, 16);
  for (int op = 1; op <= kOperatorCount; ++op) {
    dongle.esim.push_back({op, false, "8986" + digits(serial * 10 + static_cast<std::uint64_t>(op), 16)});
  }
  return dongle;
}

Dongle* find_dongle(std::vector<Dongle>& dongles, const std::string& imei, const std::string& device_type) {
  for (Dongle& dongle : dongles) {
    if (dongle.imei == imei && (device_type.empty() || dongle.device_type == device_type)) return &dongle;
  }
  return nullptr;
}

// The end of an eSIM job: activation (target_operator 0) or the switch to another operator profile.
void apply_esim_result(Dongle& dongle, int target_operator) {
  dongle.busy = false;
  if (target_operator != 0) {
    for (EsimProfile& profile : dongle.esim) profile.enabled = profile.telecom_operator == target_operator;
    return;
  }
  // Activation downloads the operator profiles; the first becomes the enabled one unless one already is.
  dongle.esim_activate_state = 2;
  bool any_enabled = false;
  for (const EsimProfile& profile : dongle.esim) any_enabled = any_enabled || profile.enabled;
  if (!any_enabled && !dongle.esim.empty()) dongle.esim.front().enabled = true;
}

std::string rtk_ext(const std::string& sn, const char* status) {
  return samples::JsonBuilder()
      .num("version", 1)
      .open_array("devices")
      .open_object()
      .str("sn", sn)
      .num("type", 1)
      .str("module", kDockRtkModule)
      .num("result", 0)
      .str("status", status)
      .close_object()
      .close_array()
      .finish();
}

}  // namespace

void SimDock::register_network_services() {
  if (product_.generation == DockGeneration::kDock1) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.dongles = {make_dongle("dock", index_), make_dongle("drone", index_)};
  }

  visit_services(product_, [this](auto services) { register_dongle_services<decltype(services)>(); });
}

// The services of the product's model (Dock 2/3: eSIM and SIM slot; Dock 3 also rtk_calibration) on its generated
// structs: the enums (device_type, sim_slot, esim_operator, module, type) arrive decoded and in range.
template <class Services>
void SimDock::register_dongle_services() {
  if constexpr (has_service_v<Services, EsimActivateOf>) {
    serve<typename Services::EsimActivate>([this](const auto& params, ServiceCall& call) {
      return start_esim_job(call, params.imei, generated::shared::wire_text(params.device_type), 0);
    });
    serve<typename Services::EsimOperatorSwitch>([this](const auto& params, ServiceCall& call) {
      return start_esim_job(call, params.imei, generated::shared::wire_text(params.device_type),
                            static_cast<int>(params.esim_operator));
    });
    serve<typename Services::SimSlotSwitch>([this](const auto& params, ServiceCall&) {
      return sim_slot_switch(params.imei, generated::shared::wire_text(params.device_type),
                             static_cast<int>(params.sim_slot));
    });
  }
  // rtk_calibration: the cloud enters the dock's position by hand (type 1, the only one). The simulator has no relay,
  // so every device of the call must be this dock with module "3".
  if constexpr (has_service_v<Services, RtkCalibrationOf>) {
    serve<typename Services::RtkCalibration>([this](const generated::shared::RtkCalibration& params,
                                                    ServiceCall& call) { return rtk_calibration(params, call); });
  }
}

ServiceReply SimDock::sim_slot_switch(const std::string& imei, const std::string& device_type, int slot) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Dongle* dongle = find_dongle(state_.dongles, imei, device_type);
    if (dongle == nullptr) return ServiceReply::error(result_code::kDongleMissing);
    if (dongle->busy) return ServiceReply::error(result_code::kEsimBusy);
    if (slot == 2 && dongle->esim_activate_state != 2) return ServiceReply::error(result_code::kEsimNotActive);
    if (slot == 1 && dongle->sim_card_state == 0) return ServiceReply::error(result_code::kDongleMissing);
    dongle->sim_slot = slot;
  }
  publish_dongle_infos();
  return ServiceReply::ok();
}

// esim_activate (target_operator 0) and esim_operator_switch: jobs with percent progress on one dongle. The
// operator field is `esim_operator` as documented; DJI's Java model calls it `telecom_operator`
// (docs/protocol.md#quirk-esim-operator), which the thing model (like the documentation) does not accept, so such a
// call is answered 325001 before it gets here.
ServiceReply SimDock::start_esim_job(ServiceCall& call, const std::string& imei, const std::string& device_type,
                                     int target_operator) {
  auto run = std::make_shared<EsimRun>();
  run->imei = imei;
  run->target_operator = target_operator;
  bool operator_switch = target_operator != 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Dongle* dongle = find_dongle(state_.dongles, run->imei, device_type);
    if (dongle == nullptr) return ServiceReply::error(result_code::kDongleMissing);
    if (dongle->busy) return ServiceReply::error(result_code::kEsimBusy);
    if (operator_switch && dongle->esim_activate_state != 2) return ServiceReply::error(result_code::kEsimNotActive);
    dongle->busy = true;
  }
  run->job = call.start_job();
  // A short real delay so the services_reply leaves before the first progress event.
  scheduler_.after(std::chrono::milliseconds(100), [this, run] { esim_job_step(run); });
  return ServiceReply::ok();
}

// Positions within the model's latitude/longitude ranges; the simulator needs them given.
ServiceReply SimDock::rtk_calibration(const generated::shared::RtkCalibration& params, ServiceCall& call) {
  if (params.devices.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  auto run = std::make_shared<RtkRun>();
  for (const auto& device : params.devices) {
    if (device.sn != sn_ || device.module != generated::shared::RtkCalibrationDevicesItemModule::kDock ||
        !device.data || !device.data->latitude || !device.data->longitude) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    run->latitude = *device.data->latitude;
    run->longitude = *device.data->longitude;
    run->height = device.data->height.value_or(0);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.rtk_calibrating || state_.flight.phase != FlightPhase::kNone ||
        state_.command.phase != CommandPhase::kNone) {
      return ServiceReply::error(result_code::kDockBusyWithCommand);
    }
    state_.rtk_calibrating = true;
  }
  run->job = call.start_job();
  scheduler_.after(std::chrono::milliseconds(100), [this, run] { rtk_calibration_step(run); });
  return ServiceReply::ok();
}

// Runs on the scheduler thread: one percent step of an eSIM job, or its end.
void SimDock::esim_job_step(std::shared_ptr<EsimRun> run) {
  if (run->percent < 100) {
    samples::warn_if_failed(log_, run->job.progress(run->percent, ""), "esim job progress");
    run->percent += kEsimPercentStep;
    scheduler_.after(std::chrono::milliseconds(scaled_ms(kEsimStepSeconds)), [this, run] { esim_job_step(run); });
    return;
  }
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Dongle* dongle = find_dongle(state_.dongles, run->imei, "");
    found = dongle != nullptr;  // always: dongles are never removed
    if (dongle != nullptr) apply_esim_result(*dongle, run->target_operator);
  }
  if (!found) {
    samples::warn_if_failed(log_, run->job.finish(JobStatus::kFailed, result_code::kDongleMissing), "esim job finish");
    return;
  }
  publish_dongle_infos();
  samples::warn_if_failed(log_, run->job.finish(JobStatus::kOk), "esim job finish");
}

// Runs on the scheduler thread: the in_progress event (percent 0, current_step 1), then the result (percent 100),
// shaped as documented (docs/protocol.md#jobs); result stays 0 and the outcome is in the status.
void SimDock::rtk_calibration_step(std::shared_ptr<RtkRun> run) {
  JobProgress progress;
  progress.current_step = 1;
  if (!run->reported_start) {
    run->reported_start = true;
    progress.status = JobStatus::kInProgress;
    progress.percent = 0;
    progress.ext_json = rtk_ext(sn_, "in_progress");
    samples::warn_if_failed(log_, run->job.report(progress), "rtk_calibration progress");
    scheduler_.after(std::chrono::milliseconds(scaled_ms(kRtkCalibrationSeconds)),
                     [this, run] { rtk_calibration_step(run); });
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.rtk_calibrating = false;
    state_.rtcm_source_type = 2;  // manual
    if (state_.drone_in_dock) {
      state_.drone_latitude = run->latitude;
      state_.drone_longitude = run->longitude;
    }
    state_.latitude = run->latitude;
    state_.longitude = run->longitude;
    state_.height = run->height;
  }
  publish_network_state();
  progress.status = JobStatus::kOk;
  progress.percent = 100;
  progress.ext_json = rtk_ext(sn_, "ok");
  samples::warn_if_failed(log_, run->job.report(progress), "rtk_calibration result");
}

// The dongle_infos and rtcm_info state groups (Dock 2/3), at every connect and after a change.
void SimDock::publish_network_state() {
  if (product_.generation == DockGeneration::kDock1) return;
  publish_dongle_infos();
  report_state({StateGroup::kRtcmInfo});
}

// The dock lists both dongles (its own and the aircraft's); the aircraft, while powered, its own.
void SimDock::publish_dongle_infos() {
  bool aircraft_online;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.dongles.empty()) return;
    aircraft_online = state_.drone_powered;
  }
  report_state({StateGroup::kDockDongleInfos});
  if (aircraft_online) report_state({StateGroup::kAircraftDongleInfos});
}

}  // namespace docklink::sim
