// Command flight (docs/protocol.md#services, #drc): authority grabs, drc_mode_enter opening the second MQTT link,
// heart_beat echo, osd_info_push / hsi_info_push at the requested rates, stick_control / drone_control moving a
// hovering aircraft (stale and duplicate seq dropped), and leaving DRC on drc_mode_exit or heartbeat timeout.
// The DRC link is the simulator's own MQTT connection, so the SDK does not see drc/down here: each command's data is
// decoded into the generated struct of its method (thing models' drc_down) before it is carried out.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <rapidjson/stringbuffer.h>

#include "docklink/generated/types.hpp"
#include "docklink/result_codes.hpp"
#include "drc_message.hpp"
#include "geo.hpp"
#include "json_write.hpp"
#include "product_services.hpp"
#include "refusals.hpp"
#include "sim_dock.hpp"
#include "sim_limits.hpp"

namespace docklink::sim {

namespace {

constexpr int kStickNeutral = 1024;
constexpr double kStickRange = 660;            // 364..1684 around neutral
constexpr double kMaxStickSpeed = 10.0;        // m/s at full pitch/roll
constexpr double kMaxStickClimb = 4.0;         // m/s at full throttle
constexpr double kMaxYawRate = 90.0;           // deg/s at full yaw
constexpr std::int64_t kCommandHoldMs = 1000;  // the aircraft brakes when commands stop this long

}  // namespace

// A DRC command the simulator carries out, as its generated data struct (thing models' drc_down); std::monostate
// for a method it does not simulate.
struct DrcCommand {
  std::variant<std::monostate, generated::shared::HeartBeatDrc, generated::shared::StickControlDrc,
               generated::shared::DroneControlDrc, generated::shared::DroneEmergencyStopDrc>
      data;
};

namespace {

// `value` rounded to `decimals` places: the generated writer sends the shortest exact form, so pushes keep the
// few digits the simulated values mean.
double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// JSON text of a generated DRC struct (its to_json, found by argument-dependent lookup).
template <class Data>
std::string drc_json(const Data& data) {
  rapidjson::StringBuffer buffer;
  generated::JsonWriter writer(buffer);
  to_json(data, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// osd_info_push: where the aircraft is and how it moves.
std::string osd_info_push(const DockState& s, const DrcRun& drc) {
  generated::shared::OsdInfoPushDrc push;
  push.attitude_head = rounded(s.drone_heading, 1);
  push.latitude = rounded(s.drone_latitude, 6);
  push.longitude = rounded(s.drone_longitude, 6);
  push.height = rounded(s.height + s.drone_elevation, 2);
  push.speed_x = rounded(drc.speed_x, 2);
  push.speed_y = rounded(drc.speed_y, 2);
  push.speed_z = rounded(drc.speed_z, 2);
  push.gimbal_pitch = s.drone_in_dock ? 0.0 : -45.0;
  push.gimbal_roll = 0.0;
  push.gimbal_yaw = rounded(s.drone_heading, 1);
  return drc_json(push);
}

// hsi_info_push: every obstacle sensor on and seeing nothing nearer than 60 m, the ground below.
std::string hsi_info_push(const DockState& s) {
  constexpr std::int64_t kFarMm = 60000;
  generated::shared::HsiInfoPushDrc push;
  push.up_distance = kFarMm;
  push.down_distance = static_cast<std::int64_t>(s.drone_elevation * 1000);
  push.around_distances = std::vector<std::int64_t>(8, kFarMm);
  for (auto* sensor :
       {&push.up_enable, &push.up_work, &push.down_enable, &push.down_work, &push.left_enable, &push.left_work,
        &push.right_enable, &push.right_work, &push.front_enable, &push.front_work, &push.back_enable, &push.back_work,
        &push.vertical_enable, &push.vertical_work, &push.horizontal_enable, &push.horizontal_work}) {
    *sensor = true;
  }
  return drc_json(push);
}

double stick(std::int64_t value) {
  return std::clamp(static_cast<double>(value - kStickNeutral) / kStickRange, -1.0, 1.0);
}

template <class Data>
bool decode_drc_data(const DrcMessage& message, DrcCommand& command) {
  Data data;
  std::string error;
  if (!from_json(message.data(), data, &error)) return false;
  command.data = std::move(data);
  return true;
}

// `message`'s data decoded into its method's struct (std::monostate: a method the simulator does not carry out);
// nothing when the data does not fit (a required field missing, a field of another type).
std::optional<DrcCommand> decode_drc_command(const DrcMessage& message) {
  DrcCommand command;
  bool fits = true;
  if (message.method == generated::shared::HeartBeatDrc::kMethod) {
    fits = decode_drc_data<generated::shared::HeartBeatDrc>(message, command);
  } else if (message.method == generated::shared::StickControlDrc::kMethod) {
    fits = decode_drc_data<generated::shared::StickControlDrc>(message, command);
  } else if (message.method == generated::shared::DroneControlDrc::kMethod) {
    fits = decode_drc_data<generated::shared::DroneControlDrc>(message, command);
  } else if (message.method == generated::shared::DroneEmergencyStopDrc::kMethod) {
    fits = decode_drc_data<generated::shared::DroneEmergencyStopDrc>(message, command);
  }
  if (!fits) return std::nullopt;
  return command;
}

}  // namespace

std::int64_t SimDock::drc_heartbeat_timeout_ms() const {
  double seconds = options_.drc_heartbeat_timeout_s;
  // Documented idle limits: docs/protocol.md#drc-heartbeat.
  if (seconds <= 0) seconds = product_.generation == DockGeneration::kDock1 ? 300 : 60;
  return static_cast<std::int64_t>(seconds * 1000);
}

void SimDock::register_drc() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::FlightAuthorityGrab>([this](const auto&, ServiceCall&) {
      std::lock_guard<std::mutex> lock(mutex_);
      state_.flight_authority = true;
      return ServiceReply::ok();
    });
    serve<typename Services::PayloadAuthorityGrab>([this](const auto& params, ServiceCall&) {
      if (params.payload_index != product_.payload_index) return ServiceReply::error(result_code::kInvalidParameter);
      std::lock_guard<std::mutex> lock(mutex_);
      state_.payload_authority = true;
      return ServiceReply::ok();
    });
    serve<typename Services::DrcModeEnter>(
        [this](const generated::shared::DrcModeEnter& params, ServiceCall&) { return drc_enter(params); });
    serve<typename Services::DrcModeExit>([this](const auto&, ServiceCall&) { return drc_exit(); });
  });
}

ServiceReply SimDock::drc_exit() {
  std::unique_ptr<DrcLink> link;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!drc_link_) return ServiceReply::error(result_code::kDrcExitFailed);
    link = std::move(drc_link_);
    ++drc_generation_;
    state_.drc_state = DrcState::kDisconnected;
    state_.drc = DrcRun{};
  }
  link.reset();
  return ServiceReply::ok();
}

// drc_mode_enter (frequencies in the model's range when given; the simulator needs both): checks the broker, then
// (re)opens the DRC link.
ServiceReply SimDock::drc_enter(const generated::shared::DrcModeEnter& params) {
  if (!params.osd_frequency || !params.hsi_frequency) return ServiceReply::error(result_code::kInvalidParameter);
  DrcBroker broker = drc_broker_of(params.mqtt_broker);
  Status checked = check_drc_broker(broker);
  if (!checked) {
    // Refused before the current link is touched: a bad request must not end a working session.
    if (plain_text_with_tls(broker)) refuse(Refusal::kDrcPlainTextWithTls, log_, sn_ + ": " + checked.message());
    return ServiceReply::error(result_code::kInvalidParameter);
  }
  {
    // The simulator insists on the recommended order (docs/protocol.md#drc-link): no stick commands without authority.
    std::lock_guard<std::mutex> lock(mutex_);
    if (!state_.flight_authority) return ServiceReply::error(result_code::kNoFlightAuthority);
  }
  return drc_open_link(broker, static_cast<int>(*params.osd_frequency), static_cast<int>(*params.hsi_frequency));
}

ServiceReply SimDock::drc_open_link(const DrcBroker& broker, int osd_hz, int hsi_hz) {
  std::unique_ptr<DrcLink> old;
  std::uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old = std::move(drc_link_);  // entering again replaces the link (new credentials)
    generation = ++drc_generation_;
  }
  old.reset();
  auto link = DrcLink::open(
      broker, sn_, log_, [this, generation](std::string_view payload) { drc_received(generation, payload); },
      [this, generation](bool connected) {
        scheduler_.after(std::chrono::milliseconds(0),
                         [this, generation, connected] { drc_connection_changed(generation, connected); });
      });
  if (!link) return ServiceReply::error(result_code::kInvalidParameter);
  std::lock_guard<std::mutex> lock(mutex_);
  if (drc_generation_ != generation) return ServiceReply::error(result_code::kDockBusy);  // raced another enter
  drc_link_ = std::move(link).value();
  state_.drc_state = DrcState::kConnecting;  // connected once the link is up
  state_.drc = DrcRun{};
  state_.drc.osd_hz = osd_hz;
  state_.drc.hsi_hz = hsi_hz;
  state_.drc.last_heartbeat_ms = clock_->monotonic_ms();
  return ServiceReply::ok();
}

void SimDock::drc_connection_changed(std::uint64_t generation, bool connected) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || !drc_link_) return;
    if (connected) {
      samples::warn_if_failed(log_, drc_link_->subscribe(), "drc/down subscribe");
      state_.drc_state = DrcState::kConnected;
      state_.drc.last_heartbeat_ms = clock_->monotonic_ms();
      state_.drc.last_move_ms = clock_->monotonic_ms();
    }
  }
  if (!connected) {
    bool was_up;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      was_up = state_.drc_state == DrcState::kConnected;
    }
    drc_leave(generation, was_up ? result_code::kDrcLinkLost : result_code::kDrcConnectionRefused);
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
    state_.drc_state = DrcState::kDisconnected;
    state_.drc = DrcRun{};
  }
  link.reset();
  // Deprecated but still sent by docks; the drc_state property (OSD) says the same.
  EventOptions options;
  options.need_reply = true;
  generated::shared::DrcStatusNotifyEvent event;
  event.result = reason;
  event.drc_state = generated::shared::DrcStatusNotifyEventDrcState::kDisconnected;
  samples::warn_if_failed(log_, client_->publish_event(event.kMethod, drc_json(event), options), event.kMethod);
}

void SimDock::drc_publish(const std::string& method, const std::string& data_json, std::int64_t seq) {
  samples::JsonBuilder message;
  message.str("method", method);
  if (seq >= 0) message.num("seq", seq);
  message.num("timestamp", clock_->wall_ms()).raw("data", data_json);
  std::lock_guard<std::mutex> lock(mutex_);
  if (drc_link_) samples::warn_if_failed(log_, drc_link_->publish(message.finish()), method);
}

// One osd_info_push (osd) or hsi_info_push (!osd) period: moves the aircraft by the commanded velocities,
// checks the heartbeat and pushes.
void SimDock::drc_tick(std::uint64_t generation, bool osd) {
  std::string data;
  int hz;
  bool timed_out = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || state_.drc_state != DrcState::kConnected) return;
    DrcRun& drc = state_.drc;
    std::int64_t now = clock_->monotonic_ms();
    hz = osd ? drc.osd_hz : drc.hsi_hz;
    if (osd) {
      timed_out = now - drc.last_heartbeat_ms > drc_heartbeat_timeout_ms();
      if (now > drc.command_until_ms) drc.speed_x = drc.speed_y = drc.speed_z = drc.yaw_rate = 0;
      double dt = static_cast<double>(now - drc.last_move_ms) / 1000.0;
      drc.last_move_ms = now;
      state_.drone_latitude += drc.speed_x * dt / kMetersPerDegree;
      state_.drone_longitude += drc.speed_y * dt / meters_per_degree_longitude(state_.latitude);
      state_.drone_elevation = std::max(2.0, state_.drone_elevation + drc.speed_z * dt);
      state_.drone_heading = std::remainder(state_.drone_heading + drc.yaw_rate * dt, 360.0);
      state_.horizontal_speed = std::hypot(drc.speed_x, drc.speed_y);
      state_.vertical_speed = drc.speed_z;
      data = osd_info_push(state_, drc);
    } else {
      data = hsi_info_push(state_);
    }
  }
  if (timed_out) {
    drc_leave(generation, result_code::kDrcHeartbeatTimeout);
    return;
  }
  drc_publish(osd ? generated::shared::OsdInfoPushDrc::kMethod : generated::shared::HsiInfoPushDrc::kMethod, data);
  scheduler_.after(std::chrono::milliseconds(1000 / hz), [this, generation, osd] { drc_tick(generation, osd); });
}

// A drc/down payload, on Paho's thread: refused when too large or when the dock's backlog is full, otherwise
// copied to the Scheduler. Both limits hold before any copy is made.
void SimDock::drc_received(std::uint64_t generation, std::string_view payload) {
  if (payload.size() > limits::kDrcMaxPayloadBytes) {
    refuse(Refusal::kDrcTooLarge, log_, sn_ + ": drc/down of " + std::to_string(payload.size()) + " bytes");
    return;
  }
  if (!drc_backlog_.try_enter()) {
    refuse(Refusal::kDrcBacklogFull, log_, sn_ + ": drc/down dropped while the backlog is full");
    return;
  }
  bool queued = scheduler_.after(std::chrono::milliseconds(0), [this, generation, text = std::string(payload)] {
    drc_backlog_.leave();
    drc_message(generation, text);
  });
  if (!queued) drc_backlog_.leave();
}

// A drc/down message, on the scheduler thread. Data that does not fit its method's struct is refused like a
// malformed message.
void SimDock::drc_message(std::uint64_t generation, const std::string& payload) {
  DrcMessage message;
  std::optional<DrcCommand> command;
  if (parse_drc_message(payload, message) == DrcRefusal::kNone) command = decode_drc_command(message);
  if (!command) {
    drc_refuse(generation, message);
    return;
  }
  std::optional<std::string> reply;  // data of an answer on drc/up
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || state_.drc_state != DrcState::kConnected) return;
    reply = drc_command_locked(*command, message.seq);
  }
  if (reply) drc_publish(message.method, *reply, message.seq);
}

// Counts and logs a refused drc/down message, and answers it when its method's reply carries a result.
void SimDock::drc_refuse(std::uint64_t generation, const DrcMessage& message) {
  std::string reply = drc_refusal_reply(message.method, result_code::kInvalidParameter);
  Refusal kind = message.refusal == DrcRefusal::kTooDeep    ? Refusal::kDrcTooDeep
                 : message.refusal == DrcRefusal::kTooLarge ? Refusal::kDrcTooLarge
                                                            : Refusal::kDrcMalformed;
  // The method is named only when it is one we answer: anything else is unchecked text from the network.
  const char* why = message.refusal == DrcRefusal::kNone ? "data_unfit" : to_string(message.refusal);
  refuse(kind, log_, sn_ + ": drc/down " + why + (reply.empty() ? "" : " " + message.method));
  if (reply.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != drc_generation_ || state_.drc_state != DrcState::kConnected) return;
  }
  drc_publish(message.method, reply, message.seq);
}

// Carries out a whole DRC command (`seq`: the message's top-level seq, or -1); the data of its answer, or nothing
// when it gets none.
std::optional<std::string> SimDock::drc_command_locked(const DrcCommand& command, std::int64_t seq) {
  DrcRun& drc = state_.drc;
  if (const auto* beat = std::get_if<generated::shared::HeartBeatDrc>(&command.data)) {
    drc.last_heartbeat_ms = clock_->monotonic_ms();
    // The timestamp is echoed so the cloud can measure the round trip; the browser demo calls it "ts".
    generated::shared::HeartBeatDrcReply reply;
    reply.timestamp = beat->timestamp.value_or(beat->ts.value_or(0));
    return drc_json(reply);
  }
  if (const auto* sticks = std::get_if<generated::shared::StickControlDrc>(&command.data)) {
    // No reply either way (docs/protocol.md#drc-messages); DJI's demo sends each message several times, so equal seq is
    // a duplicate.
    if (seq <= drc.last_stick_seq || !drc_movable_locked()) return std::nullopt;
    drc.last_stick_seq = seq;
    drc_set_velocity_locked(stick(sticks->pitch) * kMaxStickSpeed, stick(sticks->roll) * kMaxStickSpeed,
                            stick(sticks->throttle) * kMaxStickClimb, stick(sticks->yaw) * kMaxYawRate);
    return std::nullopt;
  }
  if (const auto* control = std::get_if<generated::shared::DroneControlDrc>(&command.data)) {
    return drc_drone_control_locked(*control);
  }
  if (std::holds_alternative<generated::shared::DroneEmergencyStopDrc>(command.data)) {
    drc.speed_x = drc.speed_y = drc.speed_z = drc.yaw_rate = 0;
    drc.command_until_ms = 0;
    return drc_json(generated::shared::DrcResult{result_code::kSuccess});
  }
  return std::nullopt;  // other DRC methods are not simulated
}

// drone_control: repeats are silent, failures answered (docs/protocol.md#drc-messages), success moves the aircraft.
std::optional<std::string> SimDock::drc_drone_control_locked(const generated::shared::DroneControlDrc& control) {
  DrcRun& drc = state_.drc;
  std::int64_t control_seq = control.seq;
  if (control_seq == drc.last_control_seq) return std::nullopt;  // a repeat of the last command
  std::int32_t failure = 0;
  if (!state_.flight_authority) failure = result_code::kNoFlightAuthority;
  if (control_seq < drc.last_control_seq) failure = result_code::kDrcStaleSeq;
  if (failure != 0) {
    generated::shared::DrcControlReply reply;
    reply.result = failure;
    reply.output = generated::shared::DrcControlReplyOutput{-1};
    return drc_json(reply);
  }
  drc.last_control_seq = control_seq;
  if (!drc_movable_locked()) return std::nullopt;
  drc_set_velocity_locked(std::clamp(control.x, -17.0, 17.0), std::clamp(control.y, -17.0, 17.0),
                          std::clamp(control.h, -4.0, 5.0), std::clamp(control.w, -90.0, 90.0));
  return std::nullopt;
}

// Sticks move the aircraft only when it is airborne and no wayline or return is flying it.
bool SimDock::drc_movable_locked() const {
  return !state_.drone_in_dock && state_.flight_authority &&
         (state_.flight.phase == FlightPhase::kNone || state_.flight.hovering || state_.flight.paused);
}

// Commands body-frame velocities (forward/right m/s, climb m/s, yaw deg/s) for the next kCommandHoldMs.
void SimDock::drc_set_velocity_locked(double forward, double right, double climb, double yaw_rate) {
  DrcRun& drc = state_.drc;
  double heading = state_.drone_heading * M_PI / 180;
  drc.speed_x = forward * std::cos(heading) - right * std::sin(heading);
  drc.speed_y = forward * std::sin(heading) + right * std::cos(heading);
  drc.speed_z = climb;
  drc.yaw_rate = yaw_rate;
  drc.command_until_ms = clock_->monotonic_ms() + kCommandHoldMs;
}

}  // namespace docklink::sim
