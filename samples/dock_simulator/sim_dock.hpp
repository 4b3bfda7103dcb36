// One simulated dock with its aircraft, built on docklink::Client the way dock firmware would use it:
// services and property sets come in through handlers, long work runs as jobs on the shared Scheduler,
// telemetry goes out through OSD sources and state messages.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dock_state.hpp"
#include "docklink/client.hpp"
#include "docklink/dji/file_fetch.hpp"
#include "docklink/dji/log_upload.hpp"
#include "docklink/dji/media_upload.hpp"
#include "docklink/dji/ota_job.hpp"
#include "docklink/iotda/file_manager.hpp"
#include "docklink/iotda/ota.hpp"
#include "docklink/runtime.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/typed_service.hpp"
#include "drc_backlog.hpp"
#include "drc_link.hpp"
#include "mqtt_connection.hpp"
#include "scheduler.hpp"
#include "sim_options.hpp"
#include "state_groups.hpp"
#include "store_writer.hpp"
#include "warn_if_failed.hpp"

namespace docklink::sim {

class SimFiles;
struct DrcCommand;
struct DrcMessage;
struct FlightTick;
struct TakeoffRequest;

/// A remote-debug job step: its step_key (empty: the protocol defines none), simulated duration, and what it does.
struct JobStep {
  const char* step_key;
  double seconds;
  void (*on_start)(DockState& s) = nullptr;             ///< Effect when the step begins (e.g. the cover moving).
  std::int32_t (*check)(const DockState& s) = nullptr;  ///< At its start: a result code that fails the job, or 0.
};

/// A remote-debug job as data: its method, its steps, what its end leaves and when it may start.
struct DebugJob {
  const char* method;
  std::vector<JobStep> steps;
  void (*on_done)(DockState& s) = nullptr;                     ///< What the job's end leaves.
  std::int32_t (*precondition)(const DockState& s) = nullptr;  ///< A result code refusing the job, or 0.
  bool needs_remote_debug = true;                              ///< false: cover_force_close, for an empty dock.
};

/// A dock of the fleet.
class SimDock {
 public:
  /// A dock numbered `index` (0-based) of the fleet. Nothing connects until start().
  SimDock(const SimOptions& options, int index, Scheduler& scheduler);
  ~SimDock();
  SimDock(const SimDock&) = delete;
  SimDock& operator=(const SimDock&) = delete;

  /// Builds the transport and the client and registers every handler.
  Status init(Runtime& runtime, port::Platform platform);
  /// Starts connecting; returns at once.
  Status start();
  /// Ends the DRC link and returns the client for docklink::stop_clients(), which disconnects the docks of a fleet
  /// together (null before init()). The Scheduler must be stopped first so no job step runs into a stopped client.
  Client* prepare_stop();

  /// Dock SN.
  const std::string& sn() const { return sn_; }
  /// Aircraft SN.
  const std::string& aircraft_sn() const { return aircraft_sn_; }
  /// True while connected.
  bool connected() const { return client_ && client_->connected(); }
  /// True once the first connection is up (stays true).
  bool ever_connected() const;
  /// Gives the dock the process's downloads: ota_create calls that name packages download them into --files-dir;
  /// flight photos are kept there until uploaded on its manager, and logs fileupload_start asks for are written
  /// there and uploaded on it. With --cloud iotda, `$ota` upgrades download there too and photos go up through
  /// `$file_manager`.
  /// After init(), before start(); `files` outlives the dock and is shut down before the dock stops.
  void attach_files(SimFiles& files);

 private:
  // Registers the typed service `Params` (a product's generated struct, see product_services.hpp): the SDK decodes
  // the parameters, already checked against the thing model, and answers 325001 itself when they do not decode.
  template <class Params, class Handler>
  void serve(Handler handler) {
    on_service<Params>(*client_, TypedServiceHandler<Params>(std::move(handler)));
  }

  // sim_dock.cpp: connection, requests, topology.
  void on_connection(bool connected);
  void request_config();
  void request_bind_status();
  void request_organization();
  void request_bind();
  void update_topology();
  DeviceInfo aircraft_info() const;
  std::int64_t scaled_ms(double simulated_seconds) const;

  // state_report.cpp: state messages, one per state group, composed by the devices' PropertyStores.
  using StateWrite = std::function<void(StoreWriter& writer, const DockState& s)>;
  void publish_initial_state();
  void report_state(std::initializer_list<StateGroup> groups);
  void report_state(bool aircraft, const StateWrite& write);

  // telemetry.cpp
  void fill_dock_osd(std::string& out);
  void fill_aircraft_osd(std::string& out);
  void note_osd_refusals(const StoreWriter& writer, const char* what);
  void advance_battery_locked();

  // remote_debug.cpp
  void register_remote_debug();
  template <class Services>
  void register_remote_debug_services();
  template <class Params>
  void serve_debug_job();
  ServiceReply debug_mode_open();
  ServiceReply supplement_light(bool on);
  ServiceReply start_debug_job(ServiceCall& call, const DebugJob& spec);
  std::int32_t check_job_locked(const DebugJob& spec) const;
  void run_job_step(std::shared_ptr<struct RunningJob> job, std::size_t index, int percent_in_step);

  // flight_task.cpp
  void register_flight_tasks();
  ServiceReply flighttask_prepare(PreparedTask task, bool has_ready, const generated::shared::FileFingerprint& kmz);
  template <class Services>
  void register_flight_control();
  ServiceReply flighttask_execute(const std::string& flight_id);
  ServiceReply flighttask_pause();
  ServiceReply flighttask_undo(const generated::shared::FlighttaskUndo& params);
  ServiceReply return_home();
  void flight_tick(std::uint64_t generation);
  bool flight_phase_locked(FlightTick& tick, double& budget);
  bool flight_sequence_locked(FlightTick& tick, double& budget);
  bool flight_climb_locked(double& budget);
  bool flight_wayline_locked(FlightTick& tick, double& budget);
  bool flight_return_locked(FlightTick& tick, double& budget);
  bool flight_landing_locked(FlightTick& tick, double& budget);
  void enter_flight_step_locked(FlightTick& tick, FlightPhase phase, int step);
  void report_flight_tick(const FlightTick& tick);
  void publish_flight_progress(generated::shared::ProgressStatus status, int percent, std::int32_t result,
                               int break_reason, int step = -1);
  int flight_percent_locked() const;

  // wayline_fetch.cpp: the KMZ of a prepared task, downloaded before it flies.
  std::optional<dji::DjiFile> wayline_to_fetch(const generated::shared::FileFingerprint& kmz) const;
  std::string wayline_path(const std::string& flight_id) const;
  void fetch_wayline(const std::string& flight_id, const dji::DjiFile& file, std::uint64_t fetch);
  void wayline_fetched(const std::string& flight_id, std::uint64_t fetch, std::int32_t code);
  void publish_wayline_failure(const std::string& flight_id, std::int32_t code);

  // ready_tasks.cpp: conditional tasks and flighttask_ready.
  void poll_ready_conditions();
  void start_ready_poll_locked();

  // hms.cpp: health alarms now and then.
  void hms_tick();

  // emergency_stop.cpp: the button pressed (and released) by the simulation.
  void schedule_emergency_stop();
  void set_emergency_stop(bool pressed);
  bool emergency_stop_pressed_locked() const;

  // drc.cpp: command flight (authority grabs, DRC link, sticks).
  void register_drc();
  ServiceReply drc_enter(const generated::shared::DrcModeEnter& params);
  ServiceReply drc_exit();
  ServiceReply drc_open_link(const DrcBroker& broker, int osd_hz, int hsi_hz);
  void drc_connection_changed(std::uint64_t generation, bool connected);
  void drc_received(std::uint64_t generation, std::string_view payload);
  void drc_message(std::uint64_t generation, const std::string& payload);
  void drc_refuse(std::uint64_t generation, const DrcMessage& message);
  std::optional<std::string> drc_command_locked(const DrcCommand& command, std::int64_t seq);
  std::optional<std::string> drc_drone_control_locked(const generated::shared::DroneControlDrc& control);
  bool drc_movable_locked() const;
  void drc_set_velocity_locked(double forward, double right, double climb, double yaw_rate);
  void drc_tick(std::uint64_t generation, bool osd);
  void drc_leave(std::uint64_t generation, std::int32_t reason);
  void drc_publish(const std::string& method, const std::string& data_json, std::int64_t seq = -1);
  std::int64_t drc_heartbeat_timeout_ms() const;

  // command_flight.cpp: one-key takeoff (takeoff_to_point) and fly_to_point with their progress events.
  void register_command_flight();
  ServiceReply takeoff_to_point(const TakeoffRequest& request, std::string_view bid);
  ServiceReply fly_to_point(const generated::shared::FlyToPoint& params, std::string_view bid);
  ServiceReply fly_to_point_update(const generated::shared::FlyToPointUpdate& params);
  ServiceReply fly_to_point_stop();
  void command_tick(std::uint64_t generation);

  // property_set.cpp: setters named by the generated property descriptors of the product's models.
  void register_properties();
  template <class Dock, class Aircraft>
  void register_typed_properties();
  template <class Descriptor>
  void int_property(bool aircraft, int DockState::*field);
  template <class Watermark>
  void register_watermark_properties();
  void publish_aircraft_settings();

  // extras.cpp: live streaming, misc switches.
  void register_extras();
  void register_live_services();
  void publish_live_status();
  ServiceReply live_start_push(const std::string& video_id, const std::string& url, int video_quality);
  ServiceReply live_stop_push(const std::string& video_id);
  ServiceReply live_lens_change(const std::string& video_id, generated::shared::LiveLensChangeVideoType type);
  ServiceReply change_live_stream(const std::string& video_id, const std::function<std::int32_t(LiveStream&)>& change);
  void register_switches();
  template <class Params, class Value>
  void serve_switch(Value Params::*param, int DockState::*field);

  // firmware_upgrade.cpp: ota_create, downloaded for real when it names packages (attach_files), else simulated.
  void register_firmware();
  template <class Devices>
  ServiceReply ota_create(const Devices& devices, ServiceCall& call);
  ServiceReply download_firmware(ServiceCall& call);
  std::int32_t install_firmware(const dji::OtaPackage& package, const std::string& path);
  void finish_upgrade(std::int32_t code);
  void ota_step(std::shared_ptr<struct OtaRun> run);

  // log_upload.cpp: remote log export: fileupload_list lists simulated boot logs, fileupload_start writes them as
  // files and uploads them with dji::LogUploader (fileupload_progress), fileupload_update cancels.
  void register_log_upload();
  ServiceReply fileupload_list(const generated::shared::FileuploadList& params);
  Result<std::string> write_log_file(const dji::LogRequest& request) const;
  void start_log_uploader();

  // media_upload.cpp: photos along the wayline, written as files and delivered with dji::MediaUploader after
  // landing (storage_config_get, upload, file_upload_callback).
  void take_photos_if_due_locked();
  void publish_flight_media(const std::string& flight_id);
  dji::MediaFile media_file(const MediaShot& shot, const std::string& flight_id, std::size_t number,
                            std::int64_t first_shot_ms);
  void start_media_uploader();

  // iotda_files.cpp: with --cloud iotda, `$ota` upgrades and flight media over `$file_manager` (attach_files).
  void attach_iotda(SimFiles& files);
  iotda::DeviceVersions iotda_versions(const std::string& device_sn) const;
  std::int32_t iotda_precheck();
  std::int32_t iotda_install(const iotda::OtaPackage& package, const std::string& path);
  Status upload_media_iotda(const dji::MediaFile& file);

  // network_services.cpp: 4G dongles with eSIM and RTK calibration (Dock 2/3), dongle_infos and rtcm_info state.
  void register_network_services();
  template <class Services>
  void register_dongle_services();
  ServiceReply sim_slot_switch(const std::string& imei, const std::string& device_type, int slot);
  ServiceReply start_esim_job(ServiceCall& call, const std::string& imei, const std::string& device_type,
                              int target_operator);
  ServiceReply rtk_calibration(const generated::shared::RtkCalibration& params, ServiceCall& call);
  void publish_network_state();
  void publish_dongle_infos();
  void esim_job_step(std::shared_ptr<struct EsimRun> run);
  void rtk_calibration_step(std::shared_ptr<struct RtkRun> run);

  const SimOptions& options_;
  const Product& product_;
  const int index_;
  const std::string sn_;
  const std::string aircraft_sn_;
  Scheduler& scheduler_;
  samples::MqttConnection connection_;
  // The thing models' validator (sim_dock.cpp): declared before client_, which points to it, so it outlives it.
  std::unique_ptr<InboundValidator> validator_;
  // The devices' reported values: OSD (telemetry.cpp, dock_osd.cpp, aircraft_osd.cpp), written and composed by the
  // OSD sources, and state (state_report.cpp, state_groups.cpp), written and composed by report_state().
  std::unique_ptr<thing::PropertyStore> dock_properties_;
  std::unique_ptr<thing::PropertyStore> aircraft_properties_;
  // Held by report_state() from reading the state to publishing its messages, so that state messages leave in the
  // order their values were read and the last one sent holds the latest values. Taken before mutex_, never under it.
  std::mutex state_report_mutex_;
  std::atomic<bool> osd_refusal_logged_{false};  // a value the model refused has been logged (once per dock)
  std::unique_ptr<Client> client_;
  SimFiles* files_ = nullptr;  ///< attach_files(); null: ota_create with a package is refused (325003).
  // Declared after client_ (which its handler state points to) so that it goes first.
  std::unique_ptr<dji::OtaUpgrader> ota_;
  // Declared after client_: destroyed before it, as the uploader requires. attach_files() makes it.
  std::unique_ptr<dji::MediaUploader> media_;
  // Declared after client_ like media_; attach_files() makes it. Null: fileupload_start is refused (325003).
  std::unique_ptr<dji::LogUploader> logs_;
  // --cloud iotda (attach_iotda()); declared after client_ for the same reason. Null on a DJI cloud.
  std::unique_ptr<iotda::OtaUpgrader> iotda_ota_;
  std::unique_ptr<iotda::FileManager> iotda_files_;

  mutable std::mutex mutex_;
  DockState state_;
  bool ever_connected_ = false;
  port::Log* log_ = nullptr;
  // The one clock of the dock: the platform's (wall time for what the cloud sees, monotonic time for durations).
  port::Clock* clock_ = nullptr;
  // DRC: the link lives outside DockState because it is not plain data; guarded by mutex_ like the state.
  std::unique_ptr<DrcLink> drc_link_;
  std::uint64_t drc_generation_ = 0;
  DrcBacklog drc_backlog_;  ///< drc/down messages waiting for the Scheduler.
  std::int64_t last_battery_update_ms_ = 0;
};

}  // namespace docklink::sim
