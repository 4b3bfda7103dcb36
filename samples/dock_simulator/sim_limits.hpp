// dock-sim's own limits on what the cloud can make it hold, each with its reason. The SDK bounds the main
// MQTT link (config_defaults.hpp); the DRC link, the Scheduler and the prepared flight tasks are the
// simulator's own, so their limits live here. Input beyond a limit is refused, counted (sim_counters.hpp) and
// logged at most once per kRefusalLogIntervalMs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace docklink::sim::limits {

/// Largest drc/down payload. DRC commands are a few hundred bytes (a stick_control is about 150); 16 KiB
/// leaves room for fields a cloud may add while bounding every queued copy.
inline constexpr std::size_t kDrcMaxPayloadBytes = 16u * 1024u;
/// Deepest JSON nesting in a drc/down message. The deepest DRC command nests 3 levels; 16 stops input that
/// would exhaust the stack of the recursive parser (a 1 MiB run of '[').
inline constexpr unsigned kDrcMaxJsonDepth = 16;
/// drc/down messages of one dock waiting for the Scheduler. A message is handled in microseconds, so a
/// backlog only builds under a flood; DJI's demo cloud sends each command 5 times at 10 Hz (50 a second),
/// and 64 holds over a second of that, while stale stick commands are worthless anyway.
inline constexpr std::size_t kDrcMaxPendingMessages = 64;
/// Scheduler tasks per simulated dock. A dock keeps about a dozen timers at once (flight, DRC pushes, jobs,
/// polls, HMS); the rest is room for its pending DRC messages (kDrcMaxPendingMessages).
inline constexpr std::size_t kSchedulerTasksPerDock = 16 + kDrcMaxPendingMessages;
/// Scheduler capacity when nobody says how many docks it serves (tests, a single dock).
inline constexpr std::size_t kSchedulerDefaultCapacity = 1024;
/// Flight tasks prepared and not yet executed, per dock. Clouds prepare timed tasks ahead of time, a few a
/// day per dock; 64 covers a day of hourly tasks with margin while bounding the map under a flood of
/// flighttask_prepare with fresh ids. Re-preparing a known flight_id replaces it and needs no room.
inline constexpr std::size_t kMaxPreparedTasks = 64;
/// At most one log line per kind of refusal per this interval (the counters keep the exact numbers), so a
/// flood cannot flood the log as well.
inline constexpr std::int64_t kRefusalLogIntervalMs = 5000;

}  // namespace docklink::sim::limits
