// State messages (docs/protocol.md#state-groups): the simulator writes a group's values into its device's
// thing::PropertyStore by descriptor (state_groups.cpp), and the store composes one message per group with all of
// the group's values, so no state key is spelt here and a value the model refuses is counted and not sent. A group
// is reported whenever the simulator reports it (on every connect, after a property set, after a change), also when
// its values are the same as last time: a cloud that set a value gets it confirmed.
#include <string>

#include "refusals.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

// Every connect: the state groups a cloud needs to know the dock (and, while powered, its aircraft).
void SimDock::publish_initial_state() {
  bool powered;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    powered = state_.drone_powered;
  }
  report_state({StateGroup::kDockFirmware, StateGroup::kSilentMode, StateGroup::kUserExperienceImprovement,
                StateGroup::kAirTransferEnable, StateGroup::kWpmzVersion, StateGroup::kLiveCapacity});
  publish_network_state();  // dongle_infos and rtcm_info (Dock 2/3)
  if (powered) {
    report_state({StateGroup::kAircraftFirmware});
    publish_aircraft_settings();  // the aircraft's writable state properties (property_set.cpp)
  }
}

// Groups of dock and aircraft may be mixed: each device's go out in one report of their own, the dock's first.
void SimDock::report_state(std::initializer_list<StateGroup> groups) {
  for (bool aircraft : {false, true}) {
    bool any = false;
    for (StateGroup group : groups) any = any || is_aircraft_group(group) == aircraft;
    if (!any) continue;
    report_state(aircraft, [&](StoreWriter& writer, const DockState& s) {
      for (StateGroup group : groups) {
        if (is_aircraft_group(group) == aircraft) write_state_group(writer, group, s, product_, aircraft_sn_);
      }
    });
  }
}

// `write` writes the groups to report from the current state; every group it writes goes out, one message each.
void SimDock::report_state(bool aircraft, const StateWrite& write) {
  std::lock_guard<std::mutex> reporting(state_report_mutex_);
  DockState s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    s = state_;
  }
  thing::PropertyStore& store = aircraft ? *aircraft_properties_ : *dock_properties_;
  const std::string& device_sn = aircraft ? aircraft_sn_ : sn_;
  StoreWriter writer(store, StoreWriter::StateWrites::kReport);
  write(writer, s);
  if (writer.failures() > 0) refuse(Refusal::kStateValue, log_, device_sn + ": " + writer.first_failure());
  for (const thing::StateGroupUpdate& update : store.take_changed_state_groups()) {
    samples::warn_if_failed(log_, client_->publish_state(device_sn, update.json), "state " + update.group);
  }
}

}  // namespace docklink::sim
