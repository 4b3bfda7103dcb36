// Flight media (docs/protocol.md#events file_upload_callback): the aircraft takes a photo every few hundred metres of
// wayline, and once it is back in the dock the dock "uploads" them one by one, announcing each with
// file_upload_callback (need_reply 1). Nothing is really uploaded; the object keys name where the files would be.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr double kPhotoSpacingM = 250.0;    // a photo every 250 m of wayline: 3 on the full square
constexpr double kUploadSecondsEach = 2.0;  // simulated seconds to upload one photo after landing

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

void SimDock::publish_flight_media(const std::string& flight_id) {
  std::vector<MediaShot> shots;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.flight.flight_id != flight_id) return;  // another run already replaced it
    shots = state_.flight.shots;
  }
  const std::string payload_index = product_.payload_index;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    const MediaShot& shot = shots[i];
    char number[24];
    std::snprintf(number, sizeof number, "%04zu", i + 1);
    // DJI names photos DJI_<time>_<number>_<lens>.jpeg inside a folder per wayline run.
    std::string name = "DJI_" + format_time(shot.taken_ms, "%Y%m%d%H%M%S") + "_" + number + "_W.jpeg";
    std::string path = "DJI_" + format_time(shots.front().taken_ms, "%Y%m%d%H%M") + "_001_" + flight_id;
    std::string data = samples::JsonBuilder()
                           .open_object("file")
                           .str("object_key", sn_ + "/" + flight_id + "/" + name)
                           .str("path", path)
                           .str("name", name)
                           .open_object("ext")
                           .str("flight_id", flight_id)
                           .str("drone_model_key", product_.aircraft_model_key)
                           .str("payload_model_key", payload_model_key(payload_index))
                           .boolean("is_original", true)
                           .close_object()
                           .open_object("metadata")
                           .real("gimbal_yaw_degree", shot.gimbal_yaw_degree, 1)
                           .real("absolute_altitude", shot.absolute_altitude, 2)
                           .real("relative_altitude", shot.relative_altitude, 2)
                           .str("create_time", format_time(shot.taken_ms, "%Y-%m-%d %H:%M:%S"))
                           .open_object("shoot_position")
                           .real("lat", shot.latitude, 7)
                           .real("lng", shot.longitude, 7)
                           .close_object()
                           .close_object()
                           .close_object()
                           .finish();
    auto delay = std::chrono::milliseconds(scaled_ms(kUploadSecondsEach * static_cast<double>(i + 1)));
    scheduler_.after(delay, [this, data] {
      EventOptions options;
      options.need_reply = true;
      samples::warn_if_failed(log_, client_->publish_event("file_upload_callback", data, options),
                              "file_upload_callback");
    });
  }
}

}  // namespace docklink::sim
