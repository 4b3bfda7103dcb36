// The state groups written into a device's PropertyStore by descriptor; which groups exist follows the product's
// models (wpmz_version is Dock 1's, rtcm_info, dongle_infos and air_transfer_enable Dock 2's and 3's, the watermark
// and commander_flight_mode the M3D's and M4D's).
#include "state_groups.hpp"

#include "product_properties.hpp"

namespace docklink::sim {

namespace {

// The element type of a generated optional array field, e.g. Element<decltype(LiveCapacity::device_list)>.
template <class OptionalVector>
using Element = typename OptionalVector::value_type::value_type;

template <class Properties>
using WpmzVersionOf = typename Properties::WpmzVersion;
template <class Properties>
using RtcmInfoOf = typename Properties::RtcmInfo;
template <class Properties>
using DongleInfosOf = typename Properties::DongleInfos;

// live_capacity: the aircraft's one camera, one stream at a time, with its switchable lenses.
template <class Dock>
typename Dock::LiveCapacity::Value live_capacity(const std::string& aircraft_sn, const std::string& camera) {
  using Capacity = typename Dock::LiveCapacity::Value;
  using Device = Element<decltype(Capacity::device_list)>;
  using Camera = Element<decltype(Device::camera_list)>;
  using Video = Element<decltype(Camera::video_list)>;
  Video video;
  video.video_index = "normal-0";
  video.video_type = "normal";
  video.switchable_video_types = std::vector<std::string>{"normal", "wide", "zoom"};
  Camera lens;
  lens.camera_index = camera;
  lens.available_video_number = 1;
  lens.coexist_video_number_max = 1;
  lens.video_list = std::vector<Video>{video};
  Device device;
  device.sn = aircraft_sn;
  device.available_video_number = 1;
  device.coexist_video_number_max = 1;
  device.camera_list = std::vector<Camera>{lens};
  Capacity capacity;
  capacity.available_video_number = 2;
  capacity.coexist_video_number_max = 1;
  capacity.device_list = std::vector<Device>{device};
  return capacity;
}

// live_status: every running stream; camera_position only once live_camera_change chose one.
template <class Dock>
typename Dock::LiveStatus::Value live_status(const std::vector<LiveStream>& streams) {
  typename Dock::LiveStatus::Value status(streams.size());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    status[i].video_id = streams[i].video_id;
    status[i].video_type = streams[i].video_type;
    put_code(status[i].video_quality, streams[i].video_quality);
    put_code(status[i].status, 1);  // streaming
    status[i].error_status = 0;
    if (streams[i].camera_position >= 0) put_code(status[i].camera_position, streams[i].camera_position);
  }
  return status;
}

// One dongle_infos entry.
template <class Item>
Item dongle_info(const Dongle& dongle) {
  Item item;
  item.imei = dongle.imei;
  put_code(item.dongle_type, dongle.dongle_type);
  item.eid = dongle.eid;
  put_code(item.esim_activate_state, dongle.esim_activate_state);
  put_code(item.sim_card_state, dongle.sim_card_state);
  put_code(item.sim_slot, dongle.sim_slot);
  item.esim_infos.emplace();
  for (const EsimProfile& profile : dongle.esim) {
    auto& info = item.esim_infos->emplace_back();
    info.telecom_operator = profile.telecom_operator;
    info.enabled = profile.enabled;
    info.iccid = profile.iccid;
  }
  item.sim_info.emplace();
  item.sim_info->telecom_operator = dongle.sim_operator;
  item.sim_info->sim_type = 1;  // a regular operator SIM card
  item.sim_info->iccid = dongle.sim_iccid;
  return item;
}

// dongle_infos of a device: every dongle (the dock) or the aircraft's own ("drone").
template <class Properties>
void write_dongle_infos(StoreWriter& w, const std::vector<Dongle>& dongles, bool aircraft_only) {
  if constexpr (has_property_v<Properties, DongleInfosOf>) {
    typename Properties::DongleInfos::Value infos;
    for (const Dongle& dongle : dongles) {
      if (aircraft_only && dongle.device_type != "drone") continue;
      infos.push_back(dongle_info<typename Properties::DongleInfos::Value::value_type>(dongle));
    }
    w.set<typename Properties::DongleInfos>(infos);
  }
}

// The firmware group, of the dock or the aircraft.
template <class Properties>
void write_firmware(StoreWriter& w, const std::string& version, int upgrade_status) {
  w.set<typename Properties::FirmwareVersion>(version);
  w.code<typename Properties::CompatibleStatus>(0);
  w.code<typename Properties::FirmwareUpgradeStatus>(upgrade_status);
}

// camera_watermark_settings, field by field: its booleans go out as 0/1, as the dock reports them.
template <class Watermark>
void write_watermark(StoreWriter& w, const WatermarkSettings& settings) {
  w.flag<typename Watermark::GlobalEnable>(settings.global_enable);
  w.flag<typename Watermark::DroneTypeEnable>(settings.drone_type_enable);
  w.flag<typename Watermark::DroneSnEnable>(settings.drone_sn_enable);
  w.flag<typename Watermark::DatetimeEnable>(settings.datetime_enable);
  w.flag<typename Watermark::GpsEnable>(settings.gps_enable);
  w.flag<typename Watermark::UserCustomStringEnable>(settings.user_custom_string_enable);
  w.set<typename Watermark::UserCustomString>(settings.user_custom_string);
  w.code<typename Watermark::Layout>(settings.layout);
}

template <class Dock>
void write_dock_group(StoreWriter& w, StateGroup group, const DockState& s, const Product& product,
                      const std::string& aircraft_sn) {
  switch (group) {
    case StateGroup::kDockFirmware:
      return write_firmware<Dock>(w, s.firmware_version, s.firmware_upgrade_status);
    case StateGroup::kSilentMode:
      w.code<typename Dock::SilentMode>(s.silent_mode);
      return;
    case StateGroup::kUserExperienceImprovement:
      w.code<typename Dock::UserExperienceImprovement>(s.user_experience_improvement);
      return;
    case StateGroup::kAirTransferEnable:
      if constexpr (has_property_v<Dock, AirTransferEnableOf>)
        w.set<typename Dock::AirTransferEnable>(s.air_transfer_enable);
      return;
    case StateGroup::kWpmzVersion:
      if constexpr (has_property_v<Dock, WpmzVersionOf>) w.set<typename Dock::WpmzVersion>("1.0.2");
      return;
    case StateGroup::kLiveCapacity:
      w.set<typename Dock::LiveCapacity>(live_capacity<Dock>(aircraft_sn, product.payload_index));
      return;
    case StateGroup::kLiveStatus:
      w.set<typename Dock::LiveStatus>(live_status<Dock>(s.live));
      return;
    case StateGroup::kRtcmInfo:
      if constexpr (has_property_v<Dock, RtcmInfoOf>) {
        typename Dock::RtcmInfo::Value rtcm;
        rtcm.mount_point = "";
        rtcm.port = "";
        rtcm.host = "";
        put_code(rtcm.rtcm_device_type, 1);
        put_code(rtcm.source_type, s.rtcm_source_type);
        w.set<typename Dock::RtcmInfo>(rtcm);
      }
      return;
    case StateGroup::kDockDongleInfos:
      return write_dongle_infos<Dock>(w, s.dongles, false);
    default:
      return;  // the aircraft's
  }
}

template <class Aircraft>
void write_aircraft_group(StoreWriter& w, StateGroup group, const DockState& s) {
  switch (group) {
    case StateGroup::kAircraftFirmware:
      return write_firmware<Aircraft>(w, s.drone_firmware_version, 0);
    case StateGroup::kAircraftDongleInfos:
      return write_dongle_infos<Aircraft>(w, s.dongles, true);
    case StateGroup::kCommanderFlightHeight:
      w.whole_or_real<typename Aircraft::CommanderFlightHeight>(s.commander_flight_height, 2);
      return;
    case StateGroup::kCommanderModeLostAction:
      w.code<typename Aircraft::CommanderModeLostAction>(s.commander_mode_lost_action);
      return;
    case StateGroup::kCurrentCommanderFlightMode:
      w.code<typename Aircraft::CurrentCommanderFlightMode>(s.commander_flight_mode);
      return;
    case StateGroup::kCommanderFlightMode:
      if constexpr (has_property_v<Aircraft, CommanderFlightModeOf>) {
        w.code<typename Aircraft::CommanderFlightMode>(s.commander_flight_mode);
      }
      return;
    case StateGroup::kRemainingPowerForReturnHome:
      if constexpr (has_property_v<Aircraft, CommanderFlightModeOf>) {  // they come together
        w.code<typename Aircraft::RemainingPowerForReturnHome>(s.remaining_power_for_return_home);
      }
      return;
    case StateGroup::kCameraWatermarkSettings:
      if constexpr (has_property_v<Aircraft, CameraWatermarkSettingsOf>) {
        write_watermark<typename Aircraft::CameraWatermarkSettings>(w, s.watermark);
      }
      return;
    default:
      return;  // the dock's
  }
}

}  // namespace

bool is_aircraft_group(StateGroup group) noexcept { return group >= StateGroup::kAircraftFirmware; }

void write_state_group(StoreWriter& writer, StateGroup group, const DockState& s, const Product& product,
                       const std::string& aircraft_sn) {
  visit_properties(product, [&](auto dock, auto aircraft) {
    if (is_aircraft_group(group)) {
      write_aircraft_group<decltype(aircraft)>(writer, group, s);
    } else {
      write_dock_group<decltype(dock)>(writer, group, s, product, aircraft_sn);
    }
  });
}

}  // namespace docklink::sim
