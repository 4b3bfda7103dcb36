// The bound on prepared flight tasks (limits::kMaxPreparedTasks): flighttask_prepare with a new flight_id is
// refused once the dock holds that many; re-preparing a known flight_id replaces it and always fits.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "dock_state.hpp"
#include "sim_limits.hpp"

namespace docklink::sim {

/// True when `flight_id` may be stored in `prepared` without it holding more than `limit` tasks.
inline bool prepared_has_room(const std::map<std::string, PreparedTask>& prepared, const std::string& flight_id,
                              std::size_t limit = limits::kMaxPreparedTasks) {
  return prepared.size() < limit || prepared.count(flight_id) != 0;
}

}  // namespace docklink::sim
