// Health management (docs/protocol.md#events `hms`): now and then the dock reports an alarm list, as real docks do for
// weather, battery or link conditions. The alarm depends on whether the aircraft flies. Sent without need_reply: the
// docs show none and DJI's demo cloud never answers hms.
#include <chrono>

#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

/// One alarm the simulator can raise.
struct HmsAlarm {
  const char* code;  ///< HMS code (hex string; text in DJI's hms.json).
  int level;         ///< 0 notice, 1 reminder, 2 warning.
  int module;        ///< 0 flight task, 1 device management, 2 media, 3 hms.
  bool aircraft;     ///< Raised by the aircraft (device_type is its model key) rather than the dock.
};

const HmsAlarm kOnGround[] = {
    {"0x16100083", 1, 3, true},   // aircraft: compass interference notice
    {"0x1B010001", 0, 3, false},  // dock: ambient temperature notice
    {"0x17000001", 1, 3, false},  // dock: wind speed reminder
};
const HmsAlarm kInFlight[] = {
    {"0x16100086", 2, 3, true},  // aircraft: strong wind warning
    {"0x1B030001", 1, 3, true},  // aircraft: obstacle sensing reminder
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
  std::string device_type = alarm.aircraft ? product_.aircraft_model_key : product_.dock_model_key;
  std::string data = samples::JsonBuilder()
                         .open_array("list")
                         .open_object()
                         .num("level", alarm.level)
                         .num("module", alarm.module)
                         .num("in_the_sky", in_the_sky ? 1 : 0)
                         .str("code", alarm.code)
                         .str("device_type", device_type)
                         .num("imminent", alarm.level == 2 ? 1 : 0)
                         .open_object("args")
                         .num("component_index", 0)
                         .num("sensor_index", 0)
                         .close_object()
                         .close_object()
                         .close_array()
                         .finish();
  samples::warn_if_failed(log_, client_->publish_event("hms", data, EventOptions{}), "hms");
  scheduler_.after(std::chrono::milliseconds(scaled_ms(options_.hms_period_s)), [this] { hms_tick(); });
}

}  // namespace docklink::sim
