// Command flight (§5.1 DRC services, §8): authority grabs, drc_mode_enter opening the second MQTT link,
// heart_beat echo, osd_info_push / hsi_info_push at the requested rates, stick_control / drone_control moving a
// hovering aircraft (stale and duplicate seq dropped), and leaving DRC on drc_mode_exit or heartbeat timeout.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "docklink/result_codes.hpp"
#include "json_read.hpp"
#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr std::int32_t kDrcExitFailed = 319021;
constexpr std::int32_t kNoFlightAuthority = 319030;
constexpr std::int32_t kStaleSeq = 319033;
constexpr std::int32_t kDrcHeartbeatTimeout = 514301;
constexpr std::int32_t kDrcLinkLost = 514303;
constexpr std::int32_t kDrcConnectionRefused = 514304;

constexpr int kStickNeutral = 1024;
constexpr double kStickRange = 660;            // 364..1684 around neutral
constexpr double kMaxStickSpeed = 10.0;        // m/s at full pitch/roll
constexpr double kMaxStickClimb = 4.0;         // m/s at full throttle
constexpr double kMaxYawRate = 90.0;           // deg/s at full yaw
constexpr std::int64_t kCommandHoldMs = 1000;  // the aircraft brakes when commands stop this long
constexpr double kMetersPerDegree = 111320.0;

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double stick(const rapidjson::Value& data, const char* key) {
  double value = samples::read_double(data, key, kStickNeutral);
  return std::clamp((value - kStickNeutral) / kStickRange, -1.0, 1.0);
}

}  // namespace

std::int64_t SimDock::drc_heartbeat_timeout_ms() const {
  double seconds = options_.drc_heartbeat_timeout_s;
  if (seconds <= 0) seconds = product_.generation == DockGeneration::kDock1 ? 300 : 60;  // §8.1 step 4
  return static_cast<std::int64_t>(seconds * 1000);
}

void SimDock::register_drc() {
  client_->on_service("flight_authority_grab", [this](ServiceCall&) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.flight_authority = true;
    return ServiceReply::ok();
  });
  client_->on_service("payload_authority_grab", [this](ServiceCall& call) {
    if (samples::read_string(call.data(), "payload_index") != product_.payload_index) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    state_.payload_authority = true;
    return ServiceReply::ok();
  });

  client_->on_service("drc_mode_enter", [this](ServiceCall& call) {
    const rapidjson::Value& data = call.data();
    const rapidjson::Value* mqtt = samples::member(data, "mqtt_broker");
    std::int64_t osd_hz = samples::read_int(data, "osd_frequency", -1);
    std::int64_t hsi_hz = samples::read_int(data, "hsi_frequency", -1);
    if (mqtt == nullptr || !mqtt->IsObject() || osd_hz < 1 || osd_hz > 30 || hsi_hz < 1 || hsi_hz > 30) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    DrcBroker broker;
    broker.address = samples::read_string(*mqtt, "address");
    broker.client_id = samples::read_string(*mqtt, "client_id");
    broker.username = samples::read_string(*mqtt, "username");
    broker.password = samples::read_string(*mqtt, "password");
    const rapidjson::Value* tls = samples::member(*mqtt, "enable_tls");
    broker.enable_tls = tls != nullptr && ((tls->IsBool() && tls->GetBool()) || (tls->IsInt() && tls->GetInt() != 0));
    {
      // The simulator insists on the recommended order (§8.1 step 1): no stick commands without authority.
      std::lock_guard<std::mutex> lock(mutex_);
      if (!state_.flight_authority) return ServiceReply::error(kNoFlightAuthority);
    }
    std::unique_ptr<DrcLink> old;
    std::uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      old = std::move(drc_link_);  // entering again replaces the link (new credentials)
      generation = ++drc_generation_;
    }
    old.reset();
    auto link = DrcLink::open(
        broker, sn_, log_,
        [this, generation](std::string payload) {
          scheduler_.after(std::chrono::milliseconds(0),
                           [this, generation, payload = std::move(payload)] { drc_message(generation, payload); });
        },
        [this, generation](bool connected) {
          scheduler_.after(std::chrono::milliseconds(0),
                           [this, generation, connected] { drc_connection_changed(generation, connected); });
        });
    if (!link) return ServiceReply::error(result_code::kInvalidParameter);
    std::lock_guard<std::mutex> lock(mutex_);
    if (drc_generation_ != generation) return ServiceReply::error(result_code::kDockBusy);  // raced another enter
    drc_link_ = std::move(link).value();
    state_.drc_state = 1;  // connecting; 2 once the link is up
    state_.drc = DrcRun{};
    state_.drc.osd_hz = static_cast<int>(osd_hz);
    state_.drc.hsi_hz = static_cast<int>(hsi_hz);
    state_.drc.last_heartbeat_ms = steady_now_ms();
    return ServiceReply::ok();
  });

  client_->on_service("drc_mode_exit", [this](ServiceCall&) {
    std::unique_ptr<DrcLink> link;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!drc_link_) return ServiceReply::error(kDrcExitFailed);
      link = std::move(drc_link_);
      ++drc_generation_;
      state_.drc_state = 0;
      state_.drc = DrcRun{};
    }
    link.reset();
    return ServiceReply::ok();
  });
}

void SimDock::drc_connection_changed(std::uint64_t generation, bool connected) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || !drc_link_) return;
    if (connected) {
      drc_link_->subscribe();
      state_.drc_state = 2;
      state_.drc.last_heartbeat_ms = steady_now_ms();
      state_.drc.last_move_ms = steady_now_ms();
    }
  }
  if (!connected) {
    bool was_up;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      was_up = state_.drc_state == 2;
    }
    drc_leave(generation, was_up ? kDrcLinkLost : kDrcConnectionRefused);
    return;
  }
  drc_tick(generation, true);
  drc_tick(generation, false);
}

// Ends the DRC session `generation` (if still current) and tells the cloud why.
void SimDock::drc_leave(std::uint64_t generation, std::int32_t reason) {
  std::unique_ptr<DrcLink> link;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || !drc_link_) return;
    link = std::move(drc_link_);
    ++drc_generation_;
    state_.drc_state = 0;
    state_.drc = DrcRun{};
  }
  link.reset();
  // Deprecated but still sent by docks; the drc_state property (OSD) says the same.
  EventOptions options;
  options.need_reply = true;
  client_->publish_event("drc_status_notify", samples::JsonBuilder().num("result", reason).num("drc_state", 0).finish(),
                         options);
}

void SimDock::drc_publish(const std::string& method, const std::string& data_json, std::int64_t seq) {
  samples::JsonBuilder message;
  message.str("method", method);
  if (seq >= 0) message.num("seq", seq);
  message.num("timestamp", wall_now_ms()).raw("data", data_json);
  std::lock_guard<std::mutex> lock(mutex_);
  if (drc_link_) drc_link_->publish(message.finish());
}

// One osd_info_push (osd) or hsi_info_push (!osd) period: moves the aircraft by the commanded velocities,
// checks the heartbeat and pushes.
void SimDock::drc_tick(std::uint64_t generation, bool osd) {
  std::string data;
  int hz;
  bool timed_out = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || state_.drc_state != 2) return;
    DrcRun& drc = state_.drc;
    std::int64_t now = steady_now_ms();
    hz = osd ? drc.osd_hz : drc.hsi_hz;
    if (osd) {
      timed_out = now - drc.last_heartbeat_ms > drc_heartbeat_timeout_ms();
      if (now > drc.command_until_ms) drc.speed_x = drc.speed_y = drc.speed_z = drc.yaw_rate = 0;
      double dt = static_cast<double>(now - drc.last_move_ms) / 1000.0;
      drc.last_move_ms = now;
      state_.drone_latitude += drc.speed_x * dt / kMetersPerDegree;
      state_.drone_longitude += drc.speed_y * dt / (kMetersPerDegree * std::cos(state_.latitude * M_PI / 180));
      state_.drone_elevation = std::max(2.0, state_.drone_elevation + drc.speed_z * dt);
      state_.drone_heading = std::remainder(state_.drone_heading + drc.yaw_rate * dt, 360.0);
      state_.horizontal_speed = std::hypot(drc.speed_x, drc.speed_y);
      state_.vertical_speed = drc.speed_z;
      data = samples::JsonBuilder()
                 .real("attitude_head", state_.drone_heading, 1)
                 .real("latitude", state_.drone_latitude)
                 .real("longitude", state_.drone_longitude)
                 .real("height", state_.height + state_.drone_elevation, 2)
                 .real("speed_x", drc.speed_x, 2)
                 .real("speed_y", drc.speed_y, 2)
                 .real("speed_z", drc.speed_z, 2)
                 .real("gimbal_pitch", state_.drone_in_dock ? 0.0 : -45.0, 1)
                 .real("gimbal_roll", 0.0, 1)
                 .real("gimbal_yaw", state_.drone_heading, 1)
                 .finish();
    } else {
      samples::JsonBuilder hsi;
      hsi.num("up_distance", 60000)
          .num("down_distance", static_cast<std::int64_t>(state_.drone_elevation * 1000))
          .raw("around_distances", "[60000,60000,60000,60000,60000,60000,60000,60000]");
      for (const char* side : {"up", "down", "left", "right", "front", "back"}) {
        hsi.boolean((std::string(side) + "_enable").c_str(), true).boolean((std::string(side) + "_work").c_str(), true);
      }
      hsi.boolean("vertical_enable", true)
          .boolean("vertical_work", true)
          .boolean("horizontal_enable", true)
          .boolean("horizontal_work", true);
      data = hsi.finish();
    }
  }
  if (timed_out) {
    drc_leave(generation, kDrcHeartbeatTimeout);
    return;
  }
  drc_publish(osd ? "osd_info_push" : "hsi_info_push", data);
  scheduler_.after(std::chrono::milliseconds(1000 / hz), [this, generation, osd] { drc_tick(generation, osd); });
}

// A drc/down message, on the scheduler thread.
void SimDock::drc_message(std::uint64_t generation, const std::string& payload) {
  rapidjson::Document message;
  message.Parse(payload.c_str());
  if (message.HasParseError() || !message.IsObject()) return;
  std::string method = samples::read_string(message, "method");
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value* found = samples::member(message, "data");
  const rapidjson::Value& data = found != nullptr && found->IsObject() ? *found : kEmpty;
  std::int64_t seq = samples::read_int(message, "seq", -1);

  std::string reply;  // data of an answer on drc/up; empty: none
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || state_.drc_state != 2) return;
    DrcRun& drc = state_.drc;
    std::int64_t now = steady_now_ms();
    // Sticks move the aircraft only when it is airborne and no wayline or return is flying it.
    bool movable = !state_.drone_in_dock && state_.flight_authority &&
                   (state_.flight.phase == FlightPhase::kNone || state_.flight.hovering || state_.flight.paused);
    if (method == "heart_beat") {
      drc.last_heartbeat_ms = now;
      // The timestamp is echoed so the cloud can measure the round trip; the browser demo calls it "ts".
      std::int64_t stamp = samples::read_int(data, "timestamp", samples::read_int(data, "ts", 0));
      reply = samples::JsonBuilder().num("timestamp", stamp).finish();
    } else if (method == "stick_control") {
      // No reply either way (§8.2); DJI's demo sends each message several times, so equal seq is a duplicate.
      if (seq <= drc.last_stick_seq || !movable) return;
      drc.last_stick_seq = seq;
      double forward = stick(data, "pitch") * kMaxStickSpeed, right = stick(data, "roll") * kMaxStickSpeed;
      double heading = state_.drone_heading * M_PI / 180;
      drc.speed_x = forward * std::cos(heading) - right * std::sin(heading);
      drc.speed_y = forward * std::sin(heading) + right * std::cos(heading);
      drc.speed_z = stick(data, "throttle") * kMaxStickClimb;
      drc.yaw_rate = stick(data, "yaw") * kMaxYawRate;
      drc.command_until_ms = now + kCommandHoldMs;
      return;
    } else if (method == "drone_control") {
      std::int64_t control_seq = samples::read_int(data, "seq", -1);
      if (control_seq == drc.last_control_seq) return;  // a repeat of the last command
      std::int32_t failure = 0;
      if (!state_.flight_authority) failure = kNoFlightAuthority;
      if (control_seq < drc.last_control_seq) failure = kStaleSeq;
      if (failure != 0) {
        // Only failures are answered (§8.2).
        reply =
            samples::JsonBuilder().num("result", failure).open_object("output").num("seq", -1).close_object().finish();
      } else {
        drc.last_control_seq = control_seq;
        if (!movable) return;
        double forward = std::clamp(samples::read_double(data, "x", 0), -17.0, 17.0);
        double right = std::clamp(samples::read_double(data, "y", 0), -17.0, 17.0);
        double heading = state_.drone_heading * M_PI / 180;
        drc.speed_x = forward * std::cos(heading) - right * std::sin(heading);
        drc.speed_y = forward * std::sin(heading) + right * std::cos(heading);
        drc.speed_z = std::clamp(samples::read_double(data, "h", 0), -4.0, 5.0);
        drc.yaw_rate = std::clamp(samples::read_double(data, "w", 0), -90.0, 90.0);
        drc.command_until_ms = now + kCommandHoldMs;
        return;
      }
    } else if (method == "drone_emergency_stop") {
      drc.speed_x = drc.speed_y = drc.speed_z = drc.yaw_rate = 0;
      drc.command_until_ms = 0;
      reply = samples::JsonBuilder().num("result", 0).finish();
    } else {
      return;  // other DRC methods are not simulated
    }
  }
  drc_publish(method, reply, seq);
}

}  // namespace docklink::sim
