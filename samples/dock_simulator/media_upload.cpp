// Flight media (docs/protocol.md#events file_upload_callback): the aircraft takes a photo every few hundred metres of
// wayline, each a small JPEG file in the dock's files directory; once the aircraft is back in the dock they are
// queued on dji::MediaUploader, which asks storage_config_get for the cloud's object storage, uploads them one by
// one under its object_key_prefix and announces each with file_upload_callback (need_reply 1) naming the key it was
// stored under. A cloud without storage leaves them queued: logged and counted, the dock carries on. With --cloud
// iotda they go up through `$file_manager` instead (iotda_files.cpp).
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "json_write.hpp"
#include "media_files.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"

namespace docklink::sim {

namespace {

constexpr double kPhotoSpacingM = 250.0;  // a photo every 250 m of wayline: 3 on the full square

// UTC broken-down time of a ms timestamp.
std::tm utc_time(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts;
}

std::string format_time(std::int64_t ms, const char* format) {
  std::tm parts = utc_time(ms);
  char text[64];
  std::size_t size = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, size);
}

// "1-80-0" for payload index "80-0-0": payload model keys have the payload domain 1 and no gimbal index
// (docs/protocol.md#payload-index).
std::string payload_model_key(const std::string& payload_index) {
  return "1-" + payload_index.substr(0, payload_index.rfind('-'));
}

}  // namespace

void SimDock::take_photos_if_due_locked() {
  FlightRun& run = state_.flight;
  while (run.route_progress_m + 1e-6 >= kPhotoSpacingM * static_cast<double>(run.shots.size() + 1)) {
    MediaShot shot;
    shot.latitude = state_.drone_latitude;
    shot.longitude = state_.drone_longitude;
    shot.relative_altitude = state_.drone_elevation;
    shot.absolute_altitude = state_.height + state_.drone_elevation;
    shot.gimbal_yaw_degree = state_.drone_heading;
    shot.taken_ms = clock_->wall_ms();
    run.shots.push_back(shot);
  }
}

// One photo as the uploader takes it: the file, its key below object_key_prefix and the event's file fields.
dji::MediaFile SimDock::media_file(const MediaShot& shot, const std::string& flight_id, std::size_t number,
                                   std::int64_t first_shot_ms) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%04zu", number);
  dji::MediaFile file;
  // DJI names photos DJI_<time>_<number>_<lens>.jpeg inside a folder per wayline run.
  file.name = "DJI_" + format_time(shot.taken_ms, "%Y%m%d%H%M%S") + "_" + digits + "_W.jpeg";
  file.event_path = "DJI_" + format_time(first_shot_ms, "%Y%m%d%H%M") + "_001_" + flight_id;
  file.path = files_->directory() + "/" + safe_segment(sn_) + "/" + safe_segment(flight_id) + "/" + file.name;
  file.key_suffix = flight_id + "/" + file.name;
  file.content_type = "image/jpeg";
  file.ext_json = samples::JsonBuilder()
                      .str("flight_id", flight_id)
                      .str("drone_model_key", product_.aircraft_model_key)
                      .str("payload_model_key", payload_model_key(product_.payload_index))
                      .boolean("is_original", true)
                      .finish();
  file.metadata_json = samples::JsonBuilder()
                           .real("gimbal_yaw_degree", shot.gimbal_yaw_degree, 1)
                           .real("absolute_altitude", shot.absolute_altitude, 2)
                           .real("relative_altitude", shot.relative_altitude, 2)
                           .str("create_time", format_time(shot.taken_ms, "%Y-%m-%d %H:%M:%S"))
                           .open_object("shoot_position")
                           .real("lat", shot.latitude, 7)
                           .real("lng", shot.longitude, 7)
                           .close_object()
                           .finish();
  return file;
}

void SimDock::publish_flight_media(const std::string& flight_id) {
  std::vector<MediaShot> shots;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.flight.flight_id != flight_id) return;  // another run already replaced it
    shots = state_.flight.shots;
  }
  if ((!media_ && !iotda_files_) || shots.empty()) return;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    dji::MediaFile file = media_file(shots[i], flight_id, i + 1, shots.front().taken_ms);
    // Each photo's own bytes: the comment names the dock, the flight and the shot.
    Status written = write_file(file.path, tiny_jpeg(sn_ + " " + flight_id + " " + file.name));
    if (written) written = iotda_files_ ? upload_media_iotda(file) : media_->enqueue(std::move(file)).status();
    if (written) count_media_queued();
    if (!written) count_media_failed();
    samples::warn_if_failed(log_, written, "media");
  }
}

namespace {

// One delivery's report, on a dispatcher thread: counted, a delivered photo deleted (a fleet flying for days would
// otherwise fill the disk), a failure logged.
void report_media(port::Log* log, const std::string& sn, const dji::MediaReport& report) {
  if (report.outcome == dji::MediaOutcome::kDelivered) {
    count_media_delivered();
    std::remove(report.file.path.c_str());
    return;
  }
  count_media_failed();
  if (log == nullptr || !log->enabled(port::LogLevel::kWarn)) return;
  const char* stage = report.stage == dji::MediaStage::kCredentials ? "storage_config_get"
                      : report.stage == dji::MediaStage::kUpload    ? "upload"
                                                                    : "file_upload_callback";
  log->write(port::LogLevel::kWarn, "dock-sim",
             sn + ": media " + report.file.name + " not delivered (" + stage + "): " + report.status.to_string() +
                 (report.outcome == dji::MediaOutcome::kHalted ? "; kept for the next flight" : "; dropped"));
}

}  // namespace

void SimDock::start_media_uploader() {
  dji::MediaUploaderOptions options;
  options.store_prefix = "media." + sn_ + ".";
  // Holds only what outlives the uploader: the process's log and a copy of the SN.
  options.on_report = [log = log_, sn = sn_](const dji::MediaReport& report) { report_media(log, sn, report); };
  port::Platform platform;
  platform.clock = clock_;
  platform.log = log_;  // no store: a simulated dock's queue need not survive a restart
  media_ = std::make_unique<dji::MediaUploader>(*client_, files_->manager(), platform, std::move(options));
  samples::warn_if_failed(log_, media_->start().status(), "media uploader");
}

}  // namespace docklink::sim
