// The dock's emergency stop button, pressed by the simulation (--emergency-stop-at) so a cloud can test how it
// handles a dock that refuses to move: the OSD reports emergency_stop_state 1 and every action that needs the
// dock's mechanics fails with 514121 until the button is released (--emergency-stop-for).
#include "sim_dock.hpp"

namespace docklink::sim {

void SimDock::schedule_emergency_stop() {
  if (options_.emergency_stop_at_s < 0) return;
  scheduler_.after(std::chrono::milliseconds(scaled_ms(options_.emergency_stop_at_s)), [this] {
    set_emergency_stop(true);
    if (options_.emergency_stop_for_s > 0) {
      scheduler_.after(std::chrono::milliseconds(scaled_ms(options_.emergency_stop_for_s)),
                       [this] { set_emergency_stop(false); });
    }
  });
}

void SimDock::set_emergency_stop(bool pressed) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.emergency_stop_state = pressed ? 1 : 0;
}

bool SimDock::emergency_stop_pressed_locked() const { return state_.emergency_stop_state != 0; }

}  // namespace docklink::sim
