// Conditional flight tasks (flighttask_prepare task_type 2, docs/protocol.md#services, #events): the dock watches each
// waiting task's ready_conditions and announces the tasks that may fly with flighttask_ready; the cloud then executes
// them.
#include <chrono>

#include "docklink/generated/types.hpp"
#include "docklink/typed_event.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

namespace {

constexpr std::int64_t kReadyPollMs = 200;  // real ms between checks of the conditions

}  // namespace

// Conditional tasks (task_type 2): while any waits, the dock checks its ready_conditions a few times a second
// and sends flighttask_ready with every task whose conditions hold (once per task).
void SimDock::start_ready_poll_locked() {
  if (state_.ready_poll_running) return;
  state_.ready_poll_running = true;
  scheduler_.after(std::chrono::milliseconds(kReadyPollMs), [this] { poll_ready_conditions(); });
}

void SimDock::poll_ready_conditions() {
  generated::shared::FlighttaskReadyEvent event;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    advance_battery_locked();
    std::int64_t now = clock_->wall_ms();
    bool waiting = false;
    for (auto it = state_.prepared.begin(); it != state_.prepared.end();) {
      PreparedTask& task = it->second;
      if (task.task_type != 2 || task.ready_reported) {
        ++it;
        continue;
      }
      if (task.kmz == KmzState::kFetching) {  // not ready to fly before its KMZ is here
        waiting = true;
        ++it;
        continue;
      }
      if (task.ready_end != 0 && now > task.ready_end) {
        it = state_.prepared.erase(it);  // its window passed: the task lapses
        continue;
      }
      bool ready = state_.flight.phase == FlightPhase::kNone && state_.mode_code == DockMode::kIdle &&
                   (task.ready_begin == 0 || now >= task.ready_begin) && state_.drone_battery >= task.ready_battery;
      if (ready) {
        task.ready_reported = true;
        event.flight_ids.push_back(task.flight_id);
      } else {
        waiting = true;
      }
      ++it;
    }
    state_.ready_poll_running = waiting;
  }
  if (!event.flight_ids.empty()) {
    EventOptions options;
    options.need_reply = true;
    samples::warn_if_failed(log_, publish_event(*client_, event, options), event.kMethod);
  }
  bool again;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    again = state_.ready_poll_running;
  }
  if (again) scheduler_.after(std::chrono::milliseconds(kReadyPollMs), [this] { poll_ready_conditions(); });
}

}  // namespace docklink::sim
