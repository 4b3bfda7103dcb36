// The simulated physical state of one dock and its aircraft: what OSD and state messages report and what
// services change. Guarded by SimDock's mutex.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "docklink/generated/types.hpp"

namespace docklink::sim {

/// The dock's mode_code, as the Dock 1/2 thing models list it (Dock 3 adds 5, awaiting calibration, which the
/// simulator never enters).
using DockMode = generated::shared::ModeCode;
/// The aircraft's mode_code: one list for every aircraft model the docks carry.
using AircraftMode = generated::shared::ModeCodeM30;
/// The dock's drc_state: the DRC link's life (drc_mode_enter connects it, drc_mode_exit or a timeout ends it).
using DrcState = generated::shared::DrcState;

/// Where a prepared task's wayline file is.
enum class KmzState {
  kNotFetched,  ///< Nothing to fetch: no --files-dir downloads, or a placeholder fingerprint (not an MD5).
  kFetching,    ///< Downloading: the task flies once it is here.
  kReady,       ///< In --files-dir, its MD5 checked.
};

/// A flight task received with flighttask_prepare and not yet executed.
struct PreparedTask {
  std::string flight_id;          ///< Task id.
  int task_type = 0;              ///< 0 immediate, 1 timed, 2 conditional.
  std::int64_t execute_time = 0;  ///< ms epoch.
  std::string file_url;           ///< KMZ URL.
  int rth_altitude = 100;         ///< m.
  // Conditional tasks (task_type 2): ready_conditions.
  int ready_battery = 0;         ///< Battery percent at least.
  std::int64_t ready_begin = 0;  ///< ms epoch; 0: no lower bound.
  std::int64_t ready_end = 0;    ///< ms epoch; 0: no upper bound.
  bool ready_reported = false;   ///< flighttask_ready was sent for it.
  // The KMZ (wayline_fetch.cpp): fetched when the task names one that can be checked.
  KmzState kmz = KmzState::kNotFetched;
  std::uint64_t kmz_fetch = 0;   ///< Which fetch is this task's (a re-prepared flight_id starts another).
  bool execute_waiting = false;  ///< flighttask_execute came while the KMZ was on its way: it runs on arrival.
};

/// Phases of a running flight task.
enum class FlightPhase { kNone, kPreparing, kTakeoff, kWayline, kReturn, kLanding, kClosing };

/// A photo taken during a flight task; file_upload_callback reports it after landing.
struct MediaShot {
  double latitude = 0, longitude = 0;                   ///< Where it was taken.
  double absolute_altitude = 0, relative_altitude = 0;  ///< m: ellipsoid height / above the dock.
  double gimbal_yaw_degree = 0;                         ///< Heading of the camera.
  std::int64_t taken_ms = 0;                            ///< Wall-clock ms.
};

/// The flight task being executed.
struct FlightRun {
  std::string flight_id;  ///< Also the bid of flighttask_progress (docs/protocol.md#correlation).
  FlightPhase phase = FlightPhase::kNone;
  int step = 0;                  ///< current_step in Dock 2/3 numbering.
  double phase_elapsed_s = 0;    ///< Simulated seconds in the current step or phase.
  double route_progress_m = 0;   ///< Distance flown along the wayline.
  bool paused = false;           ///< flighttask_pause.
  bool returning_early = false;  ///< return_home during the wayline.
  bool hovering = false;         ///< return_home_cancel: holds position until return_home again.
  std::int64_t start_at_ms = 0;  ///< Timed task: wall-clock ms when the run really begins.
  int cruise_height_m = 100;     ///< Height above the dock.
  std::uint64_t generation = 0;  ///< Matches the ticks that drive this run.
  int ticks = 0;                 ///< Ticks since start (progress events every few).
  std::string track_id;          ///< Flight track id.
  std::vector<MediaShot> shots;  ///< Photos taken so far (media_upload.cpp).
};

/// One live stream.
struct LiveStream {
  std::string video_id;               ///< "sn/payload/normal-0".
  int video_quality = 0;              ///< 0 adaptive … 4 UHD.
  std::string video_type = "normal";  ///< Lens: normal, wide, zoom, ir (live_lens_change).
  int camera_position = -1;           ///< Dock camera 0 inside / 1 outside (live_camera_change); -1: not set.
};

/// A command-flight (DRC) session.
struct DrcRun {
  int osd_hz = 10, hsi_hz = 1;         ///< drc_mode_enter's osd_frequency / hsi_frequency.
  std::int64_t last_heartbeat_ms = 0;  ///< steady ms of the last heart_beat (or of the connect).
  std::int64_t last_stick_seq = -1;    ///< stick_control: highest seq applied.
  std::int64_t last_control_seq = -1;  ///< drone_control: highest seq applied.
  double speed_x = 0, speed_y = 0, speed_z = 0, yaw_rate = 0;  ///< Commanded m/s north/east/up, deg/s.
  std::int64_t command_until_ms = 0;  ///< steady ms after which the aircraft brakes (no fresh command).
  std::int64_t last_move_ms = 0;      ///< steady ms of the last position update.
};

// command_flight.cpp: one-key takeoff (takeoff_to_point) and fly_to_point.
/// Phases of a command flight: the dock prepares, the aircraft climbs to the safe height, cruises to a target,
/// then hovers under cloud control.
enum class CommandPhase { kNone, kPreparing, kClimbing, kCruising, kHovering };

/// The command flight that takeoff_to_point started. While it runs, `DockState::flight` holds a hovering return
/// (phase kReturn, hovering) owned by it, so return_home brings the aircraft home through the flight-task code.
struct CommandRun {
  CommandPhase phase = CommandPhase::kNone;
  // takeoff_to_point: its flight_id, the bid its progress events carry, and whether it still heads for its target.
  std::string flight_id;
  std::string takeoff_bid;
  bool takeoff_active = false;
  double security_height = 20;  // m above the dock, climbed straight up first
  double takeoff_speed = 12;    // m/s
  double takeoff_latitude = 0, takeoff_longitude = 0, takeoff_elevation = 0;  // elevation: m above the dock
  // fly_to_point: whether one runs, its fly_to_id, the bid its progress events carry, speed and target.
  bool fly_to_active = false;
  std::string fly_to_id, fly_to_bid;
  double fly_to_speed = 12;
  double fly_to_latitude = 0, fly_to_longitude = 0, fly_to_elevation = 0;
  // Simulated seconds in the current phase; generation of the tick chain that drives the run; generation of
  // DockState::flight while this run owns it; ticks of the current chain (progress events every few).
  double elapsed_s = 0;
  std::uint64_t generation = 0;
  std::uint64_t flight_generation = 0;
  int ticks = 0;
};

// network_services.cpp: 4G dongles with eSIM (dongle_infos) and the RTK source (rtcm_info), Dock 2/3.
/// One operator profile on a dongle's eSIM (dongle_infos[].esim_infos[]).
struct EsimProfile {
  int telecom_operator = 1;  ///< 1 China Mobile, 2 China Unicom, 3 China Telecom.
  bool enabled = false;      ///< The profile in use.
  std::string iccid;         ///< Profile ICCID.
};

/// A 4G dongle of the dock or the aircraft (one entry of dongle_infos).
struct Dongle {
  std::string device_type;        ///< "dock" or "drone": which device it sits in (the services' device_type).
  std::string imei;               ///< Dongle IMEI: how the services address it.
  std::string eid;                ///< eSIM chip id.
  int dongle_type = 10;           ///< 6 old, 10 eSIM-capable.
  int esim_activate_state = 1;    ///< 0 unknown, 1 inactive, 2 active.
  int sim_card_state = 1;         ///< Physical SIM: 0 absent, 1 present.
  int sim_slot = 1;               ///< 1 physical SIM, 2 eSIM.
  std::vector<EsimProfile> esim;  ///< eSIM operator profiles.
  int sim_operator = 1;           ///< The physical SIM's operator.
  std::string sim_iccid;          ///< The physical SIM's ICCID.
  bool busy = false;              ///< An eSIM job (activation, operator switch) runs on it.
};

/// The aircraft's photo watermark (camera_watermark_settings, Dock 2/3 aircraft; every field writable).
struct WatermarkSettings {
  bool global_enable = false;  ///< Watermark on photos at all.
  bool drone_type_enable = true, drone_sn_enable = true, datetime_enable = true, gps_enable = true;
  bool user_custom_string_enable = false;
  std::string user_custom_string;  ///< Free text shown when user_custom_string_enable.
  int layout = 3;                  ///< 0 top left, 1 top right, 2 bottom left, 3 bottom right.
};

/// Everything a dock reports.
struct DockState {
  // Dock.
  DockMode mode_code = DockMode::kIdle;
  int cover_state = 0;   ///< 0 closed, 1 open, 2 half-open.
  int putter_state = 0;  ///< Dock 1 driving rods: 0 closed, 1 open, 2 half-open.
  int supplement_light_state = 0;
  int alarm_state = 0;
  int emergency_stop_state = 0;
  int battery_store_mode = 1;
  int air_conditioner_state = 0;
  int link_workmode = 0;
  int battery_maintenance = 0;
  int flighttask_step_code = 5;  ///< 5 task idle.
  int job_number = 0;
  std::int64_t dock_storage_used_kb = 12 * 1024 * 1024;
  int silent_mode = 0;
  int user_experience_improvement = 0;
  bool air_transfer_enable = false;
  std::string firmware_version;
  int firmware_upgrade_status = 0;
  DrcState drc_state = DrcState::kDisconnected;     ///< The DRC link: disconnected, connecting, connected.
  double latitude = 0, longitude = 0, height = 50;  ///< Dock position (ellipsoid height).
  double temperature = 24.5, humidity = 42, environment_temperature = 21.0, wind_speed = 2.4;
  std::vector<LiveStream> live;

  // Aircraft.
  bool drone_in_dock = true;
  bool drone_powered = true;  ///< sub_device.device_online_status; false: not in update_topo.
  bool charging = false;
  double drone_battery = 86;                                            ///< Percent.
  double drone_latitude = 0, drone_longitude = 0, drone_elevation = 0;  ///< Elevation above the dock.
  double drone_heading = 0, horizontal_speed = 0, vertical_speed = 0;
  AircraftMode drone_mode_code = AircraftMode::kStandby;
  std::int64_t drone_storage_used_kb = 2 * 1024 * 1024;
  std::string drone_firmware_version;
  int height_limit = 120, night_lights_state = 0, rth_altitude = 100, rc_lost_action = 2;
  int exit_wayline_when_rc_lost = 1;  ///< Dock 1 aircraft (deprecated by DJI, still writable).
  int obstacle_horizon = 1, obstacle_upside = 1, obstacle_downside = 1;
  int distance_limit_state = 0, distance_limit = 5000;
  double commander_flight_height = 100;  ///< m; a double in the thing model.
  int commander_mode_lost_action = 1, commander_flight_mode = 1;
  WatermarkSettings watermark;  ///< Dock 2/3 aircraft.
  int remaining_power_for_return_home = 25;
  int total_flight_sorties = 0;
  double total_flight_distance = 0, total_flight_time = 0;

  // Activity.
  std::string job_method;                        ///< Running remote-debug job; empty when none.
  std::uint64_t job_generation = 0;              ///< Bumped to cancel the running job's pending steps.
  std::map<std::string, PreparedTask> prepared;  ///< by flight_id
  std::uint64_t kmz_fetches = 0;                 ///< KMZ fetches started (PreparedTask::kmz_fetch).
  FlightRun flight;                              ///< phase kNone when no flight runs.
  std::uint64_t flight_generation = 0;
  std::uint64_t command_generation = 0;
  bool bound = false;  ///< Organisation binding finished.
  // Command flight (docs/protocol.md#drc).
  bool flight_authority = false;    ///< flight_authority_grab done.
  bool payload_authority = false;   ///< payload_authority_grab done.
  DrcRun drc;                       ///< The DRC session, while the link is connecting or connected.
  CommandRun command;               ///< command_flight.cpp; phase kNone when none runs.
  bool ready_poll_running = false;  ///< The conditional-task poll is scheduled.
  int hms_round = 0;                ///< Which alarm the next hms event carries.
  // 4G / eSIM and RTK (network_services.cpp; Dock 2/3).
  std::vector<Dongle> dongles;   ///< The dock's dongle, then the aircraft's.
  int rtcm_source_type = 1;      ///< rtcm_info.source_type: 0 none, 1 self-converged, 2 manual, 3 network RTK.
  bool rtk_calibrating = false;  ///< rtk_calibration runs.
};

}  // namespace docklink::sim
