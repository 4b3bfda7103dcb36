// Health management (docs/protocol.md#events `hms`): now and then the dock reports an alarm list, as real docks do for
// weather, battery or link conditions. The alarm depends on whether the aircraft flies. Sent without need_reply: the
// docs show none and DJI's demo cloud never answers hms. in_the_sky and imminent go out as 0/1, as DJI's examples
// show them: the model marks them "wire": "int" (docs/protocol.md#quirk-booleans).
#include <chrono>
#include <vector>

#include "docklink/generated/types.hpp"
#include "docklink/typed_event.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

using generated::shared::HmsEventListItem;
using Level = generated::shared::HmsEventListItemLevel;
using Module = generated::shared::HmsEventListItemModule;

/// One alarm the simulator can raise.
struct HmsAlarm {
  const char* code;  ///< HMS code (hex string; text in DJI's hms.json).
  Level level;       ///< Notice, reminder or warning.
  Module module;     ///< The module that raised it.
  bool aircraft;     ///< Raised by the aircraft (device_type is its model key) rather than the dock.
};

const HmsAlarm kOnGround[] = {
    {"0x16100083", Level::kReminder, Module::kHms, true},   // aircraft: compass interference notice
    {"0x1B010001", Level::kNotice, Module::kHms, false},    // dock: ambient temperature notice
    {"0x17000001", Level::kReminder, Module::kHms, false},  // dock: wind speed reminder
};
const HmsAlarm kInFlight[] = {
    {"0x16100086", Level::kWarning, Module::kHms, true},   // aircraft: strong wind warning
    {"0x1B030001", Level::kReminder, Module::kHms, true},  // aircraft: obstacle sensing reminder
};

}  // namespace

void SimDock::hms_tick() {
  bool in_the_sky;
  int round;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_the_sky = !state_.drone_in_dock;
    round = state_.hms_round++;
  }
  const HmsAlarm* alarms = in_the_sky ? kInFlight : kOnGround;
  std::size_t count = in_the_sky ? std::size(kInFlight) : std::size(kOnGround);
  const HmsAlarm& alarm = alarms[static_cast<std::size_t>(round) % count];
  HmsEventListItem item;
  item.level = alarm.level;
  item.module = alarm.module;
  item.in_the_sky = in_the_sky;
  item.code = alarm.code;
  item.device_type = alarm.aircraft ? product_.aircraft_model_key : product_.dock_model_key;
  item.imminent = alarm.level == Level::kWarning;
  item.args.emplace();
  item.args->component_index = 0;
  item.args->sensor_index = 0;
  generated::shared::HmsEvent event;
  event.list = std::vector<HmsEventListItem>{item};
  samples::warn_if_failed(log_, publish_event(*client_, event), event.kMethod);
  scheduler_.after(std::chrono::milliseconds(scaled_ms(options_.hms_period_s)), [this] { hms_tick(); });
}

}  // namespace docklink::sim
