// OSD of the dock and of the aircraft: each device's PropertyStore, filled by descriptor (dock_osd.cpp,
// aircraft_osd.cpp) and composed by the store; the dock's is split into the three groups real docks send
// (docs/protocol.md#osd-groups), the aircraft's is one message (#aircraft-properties).
#include <algorithm>
#include <string>

#include "aircraft_osd.hpp"
#include "dock_osd.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr double kChargePercentPerSecond = 0.25;  // a dock charges 20→90 % in about 5 minutes
constexpr double kFlightDrainPerSecond = 0.08;    // about 20 minutes of flight per full battery

}  // namespace

// Battery changes with simulated time, computed lazily whenever telemetry or a tick looks at it.
void SimDock::advance_battery_locked() {
  std::int64_t now = clock_->monotonic_ms();
  if (last_battery_update_ms_ == 0) last_battery_update_ms_ = now;
  double simulated_s = static_cast<double>(now - last_battery_update_ms_) / 1000.0 * options_.speed;
  last_battery_update_ms_ = now;
  if (state_.charging && state_.drone_in_dock) {
    state_.drone_battery = std::min(100.0, state_.drone_battery + kChargePercentPerSecond * simulated_s);
  } else if (!state_.drone_in_dock) {
    state_.drone_battery = std::max(0.0, state_.drone_battery - kFlightDrainPerSecond * simulated_s);
  }
}

// The dock's state goes into its PropertyStore by descriptor (dock_osd.cpp); the store composes the three OSD
// messages as the model's osd_group splits them.
void SimDock::fill_dock_osd(std::string& out) {
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    advance_battery_locked();
    s = state_;
  }
  StoreWriter writer(*dock_properties_);
  write_dock_osd(writer, s, product_, aircraft_sn_);
  note_osd_refusals(writer, "dock OSD value");
  for (int group = 0; group < 2; ++group) {  // groups 0 and 1 go out here, group 2 is returned to the SDK
    std::string json;
    Result<int> composed = dock_properties_->compose_osd(group, json);
    Status published = composed ? client_->publish_osd(sn_, json) : composed.status();
    samples::warn_if_failed(log_, published, "dock OSD group " + std::to_string(group + 1));
  }
  Result<int> composed = dock_properties_->compose_osd(2, out);
  samples::warn_if_failed(log_, composed.status(), "dock OSD group 3");
}

// The aircraft's state goes into its PropertyStore by descriptor (aircraft_osd.cpp); aircraft send one OSD message.
void SimDock::fill_aircraft_osd(std::string& out) {
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!state_.drone_powered) return;  // powered off: not in the topology, no OSD
    advance_battery_locked();
    s = state_;
  }
  StoreWriter writer(*aircraft_properties_);
  write_aircraft_osd(writer, s, product_, aircraft_sn_);
  note_osd_refusals(writer, "aircraft OSD value");
  Result<int> composed = aircraft_properties_->compose_osd(0, out);
  samples::warn_if_failed(log_, composed.status(), "aircraft OSD");
}

// Logs the first value a thing model refused, once per dock: a simulator bug, not a condition that comes and goes.
void SimDock::note_osd_refusals(const StoreWriter& writer, const char* what) {
  if (writer.failures() == 0 || osd_refusal_logged_.exchange(true)) return;
  samples::warn_if_failed(log_, Status(StatusCode::kInvalidArgument, writer.first_failure()), what);
}

}  // namespace docklink::sim
