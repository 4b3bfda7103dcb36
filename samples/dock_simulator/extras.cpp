// The rest of the dock's services: firmware upgrade (ota_create + ota_progress), live streaming (live_status
// state; lens and dock-camera switches), and the simple switches (alarm, battery maintenance/store mode, air
// conditioner, 4G link).
#include <memory>
#include <optional>
#include <utility>

#include "docklink/result_codes.hpp"
#include "json_read.hpp"
#include "json_write.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

/// An upgrade in progress.
struct OtaRun {
  std::string bid;                                           ///< ota_create's bid: ota_progress carries it.
  std::vector<std::pair<std::string, std::string>> targets;  ///< (sn, new firmware version)
  int percent = 0;
};

namespace {

// The dock's own camera (docs/protocol.md#payload-index); live_camera_change chooses its inside or outside lens on Dock
// 2/3.
constexpr const char* kDockCameraIndex = "/165-0-7/";

// video_id is required on Dock 1/2 and optional in Dock 3's live_lens_change; absent means none.
const std::string& video_id_of(const std::string& video_id) { return video_id; }
std::string video_id_of(const std::optional<std::string>& video_id) { return video_id.value_or(""); }

// Lenses a stream can switch to: the dock camera has one; the aircraft camera those live_capacity announces
// (the simulated aircraft are the non-thermal models, so no "ir").
bool lens_available(const std::string& video_id, const std::string& type) {
  if (video_id.find(kDockCameraIndex) != std::string::npos) return type == "normal";
  return type == "normal" || type == "wide" || type == "zoom";
}
constexpr int kOtaPercentStep = 10;
constexpr double kOtaStepSeconds = 3.0;  // 30 simulated seconds for a whole upgrade

}  // namespace

void SimDock::register_extras() {
  client_->on_service("ota_create", [this](ServiceCall& call) {
    const rapidjson::Value* devices = samples::member(call.data(), "devices");
    if (devices == nullptr || !devices->IsArray() || devices->Empty() || devices->Size() > 2) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    auto run = std::make_shared<OtaRun>();
    run->bid = std::string(call.bid());
    for (const auto& device : devices->GetArray()) {
      std::string sn = samples::read_string(device, "sn");
      std::string version = samples::read_string(device, "product_version");
      if ((sn != sn_ && sn != aircraft_sn_) || version.empty()) {
        return ServiceReply::error(result_code::kInvalidParameter);
      }
      run->targets.emplace_back(sn, version);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (state_.mode_code == DockMode::kFirmwareUpgrading)
        return ServiceReply::error(result_code::kUpgradeAlreadyRunning);
      if (state_.mode_code != DockMode::kIdle || !state_.job_method.empty())
        return ServiceReply::error(result_code::kUpgradeDockBusy);
      state_.mode_code = DockMode::kFirmwareUpgrading;
      state_.firmware_upgrade_status = 1;
    }
    publish_state(sn_, samples::JsonBuilder().num("firmware_upgrade_status", 1).finish());
    scheduler_.after(std::chrono::milliseconds(100), [this, run] { ota_step(run); });
    return ServiceReply::ok(R"({"status":"in_progress"})");
  });

  register_live_services();
  register_switches();
}

void SimDock::publish_live_status() {
  samples::JsonBuilder data;
  data.open_array("live_status");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& stream : state_.live) {
      data.open_object()
          .str("video_id", stream.video_id)
          .str("video_type", stream.video_type)
          .num("video_quality", stream.video_quality)
          .num("status", 1)
          .num("error_status", 0);
      // Not a documented live_status field: shows the cloud what live_camera_change did (clouds ignore
      // unknown fields, docs/protocol.md#tolerance).
      if (stream.camera_position >= 0) data.num("camera_position", stream.camera_position);
      data.close_object();
    }
  }
  data.close_array();
  publish_state(sn_, data.finish());
}

// Applies `change` (0 or the result code refusing it) to the stream `video_id` under the lock, then publishes
// live_status; a stream that does not run is refused with 513011.
ServiceReply SimDock::change_live_stream(const std::string& video_id,
                                         const std::function<std::int32_t(LiveStream&)>& change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = std::find_if(state_.live.begin(), state_.live.end(),
                           [&](const LiveStream& stream) { return stream.video_id == video_id; });
    if (it == state_.live.end()) return ServiceReply::error(result_code::kLiveNotStreaming);
    std::int32_t refused = change(*it);
    if (refused != 0) return ServiceReply::error(refused);
  }
  publish_live_status();
  return ServiceReply::ok();
}

ServiceReply SimDock::live_start_push(const std::string& video_id, const std::string& url, int video_quality) {
  if (video_id.empty() || url.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& stream : state_.live) {
      if (stream.video_id == video_id) return ServiceReply::error(result_code::kLiveAlreadyStreaming);
    }
    state_.live.push_back({video_id, video_quality});
  }
  publish_live_status();
  return ServiceReply::ok();
}

ServiceReply SimDock::live_stop_push(const std::string& video_id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = std::find_if(state_.live.begin(), state_.live.end(),
                           [&](const LiveStream& stream) { return stream.video_id == video_id; });
    if (it == state_.live.end()) return ServiceReply::error(result_code::kLiveNotStreaming);
    state_.live.erase(it);
  }
  publish_live_status();
  return ServiceReply::ok();
}

ServiceReply SimDock::live_lens_change(const std::string& video_id, generated::shared::LiveLensChangeVideoType type) {
  if (video_id.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  std::string lens = generated::shared::wire_text(type);
  return change_live_stream(video_id, [&](LiveStream& stream) {
    if (!lens_available(video_id, lens)) return result_code::kLiveCameraTypeError;
    stream.video_type = lens;
    return result_code::kSuccess;
  });
}

// Registers the live services the product's model has (Dock 1 has only the outside camera: no live_camera_change,
// which the SDK answers 325001). Parameters come in decoded and in range (video_quality 0-4, known lenses).
void SimDock::register_live_services() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::LiveStartPush>([this](const auto& params, ServiceCall&) {
      int quality = params.video_quality ? static_cast<int>(*params.video_quality) : 0;
      return live_start_push(params.video_id, params.url, quality);
    });
    serve<typename Services::LiveStopPush>(
        [this](const auto& params, ServiceCall&) { return live_stop_push(params.video_id); });
    serve<typename Services::LiveLensChange>([this](const auto& params, ServiceCall&) {
      return live_lens_change(video_id_of(params.video_id), params.video_type);
    });
    serve<typename Services::LiveSetQuality>([this](const auto& params, ServiceCall&) {
      return change_live_stream(params.video_id, [&](LiveStream& stream) {
        stream.video_quality = static_cast<int>(params.video_quality);
        return result_code::kSuccess;
      });
    });
    if constexpr (has_service_v<Services, LiveCameraChangeOf>) {
      serve<typename Services::LiveCameraChange>([this](const auto& params, ServiceCall&) {
        if (params.video_id.empty()) return ServiceReply::error(result_code::kInvalidParameter);
        return change_live_stream(params.video_id, [&](LiveStream& stream) {
          if (params.video_id.find(kDockCameraIndex) == std::string::npos) return result_code::kLiveCameraTypeError;
          stream.camera_position = static_cast<int>(params.camera_position);
          return result_code::kSuccess;
        });
      });
    }
  });
}

// Simple switches: the service's one enum (action or link_workmode, in range) stored in one field of the state.
template <class Params, class Value>
void SimDock::serve_switch(Value Params::*param, int DockState::*field) {
  serve<Params>([this, param, field](const Params& params, ServiceCall&) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.*field = static_cast<int>(params.*param);
    return ServiceReply::ok(R"({"status":"ok"})");
  });
}

void SimDock::register_switches() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    using Alarm = typename Services::AlarmStateSwitch;
    using Maintenance = typename Services::BatteryMaintenanceSwitch;
    using StoreMode = typename Services::BatteryStoreModeSwitch;
    using AirConditioner = typename Services::AirConditionerModeSwitch;
    using Sdr = typename Services::SdrWorkmodeSwitch;
    serve_switch(&Alarm::action, &DockState::alarm_state);
    serve_switch(&Maintenance::action, &DockState::battery_maintenance);
    serve_switch(&StoreMode::action, &DockState::battery_store_mode);
    serve_switch(&AirConditioner::action, &DockState::air_conditioner_state);
    serve_switch(&Sdr::link_workmode, &DockState::link_workmode);
  });

  // flight_areas_update: the dock re-syncs by asking for the files (docs/protocol.md#services).
  client_->on_service("flight_areas_update", [this](ServiceCall&) {
    samples::warn_if_failed(log_, client_->send_request("flight_areas_get", "{}", [](const Reply&) {}),
                            "flight_areas_get");
    return ServiceReply::ok();
  });
}

// One step of an upgrade on the scheduler thread. The progress event is ota_progress, not the service method,
// so it is published directly with ota_create's bid rather than through a Job.
void SimDock::ota_step(std::shared_ptr<OtaRun> run) {
  run->percent = std::min(100, run->percent + kOtaPercentStep);
  bool done = run->percent >= 100;
  std::string data = samples::JsonBuilder()
                         .num("result", 0)
                         .open_object("output")
                         .str("status", done ? "ok" : "in_progress")
                         .open_object("progress")
                         .num("percent", run->percent)
                         .str("current_step", run->percent <= 50 ? "download_firmware" : "upgrade_firmware")
                         .close_object()
                         .close_object()
                         .finish();
  EventOptions options;
  options.need_reply = true;
  options.bid = run->bid;
  samples::warn_if_failed(log_, client_->publish_event("ota_progress", data, options), "ota_progress");
  if (!done) {
    scheduler_.after(std::chrono::milliseconds(scaled_ms(kOtaStepSeconds)), [this, run] { ota_step(run); });
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& target : run->targets) {
      (target.first == sn_ ? state_.firmware_version : state_.drone_firmware_version) = target.second;
    }
    state_.mode_code = DockMode::kIdle;
    state_.firmware_upgrade_status = 0;
  }
  for (const auto& target : run->targets) {
    publish_state(target.first, samples::JsonBuilder()
                                    .str("firmware_version", target.second)
                                    .num("compatible_status", 0)
                                    .num("firmware_upgrade_status", 0)
                                    .finish());
  }
}

}  // namespace docklink::sim
