// The rest of the dock's services: firmware upgrade (firmware_upgrade.cpp), live streaming (live_status state; lens
// and dock-camera switches), and the simple switches (alarm, battery maintenance/store mode, air conditioner, 4G
// link).
#include <memory>
#include <optional>
#include <utility>

#include "docklink/result_codes.hpp"
#include "docklink/typed_request.hpp"
#include "json_read.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

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

}  // namespace

void SimDock::register_extras() {
  register_firmware();
  register_live_services();
  register_switches();
}

// live_status: every running stream (state_groups.cpp), also the dock camera live_camera_change chose.
void SimDock::publish_live_status() { report_state({StateGroup::kLiveStatus}); }

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
    // flight_areas_update: the dock re-syncs by asking for the files (docs/protocol.md#services).
    serve<typename Services::FlightAreasUpdate>([this](const auto&, ServiceCall&) {
      using Request = generated::shared::FlightAreasGetRequest;
      samples::warn_if_failed(log_,
                              send_request<generated::shared::FlightAreasGetRequestReply>(*client_, Request{}, {}),
                              "flight_areas_get");
      return ServiceReply::ok();
    });
  });
}

}  // namespace docklink::sim
