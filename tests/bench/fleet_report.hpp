// What the fleet benchmarks (bench_fleet through DockLink, bench_fleet_raw through plain Paho) share so that their
// rows line up: the command line, the OSD payloads, the lateness schedule, connection bookkeeping, CPU/RSS readers
// and the markdown row.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace docklink::bench {

/// Milliseconds on the steady clock.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Settings from the command line.
struct FleetSettings {
  std::string broker;
  int docks = 100;
  std::int64_t period_ms = 2000;
  int duration_s = 20;
  long broker_pid = 0;
  bool tcp_nodelay = true;
  int connect_timeout_s = 120;
  std::string out;
};

/// Parses `--key value` pairs into `settings`; keys it does not know go to `extra`, which returns false for
/// keys it does not know either. False on an unknown key or a missing broker.
inline bool parse_fleet_settings(int argc, char** argv, FleetSettings& settings,
                                 const std::function<bool(const std::string&, const std::string&)>& extra = {}) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--broker")
      settings.broker = value;
    else if (key == "--docks")
      settings.docks = std::atoi(value.c_str());
    else if (key == "--osd-period-ms")
      settings.period_ms = std::atoll(value.c_str());
    else if (key == "--duration-s")
      settings.duration_s = std::atoi(value.c_str());
    else if (key == "--broker-pid")
      settings.broker_pid = std::atol(value.c_str());
    else if (key == "--out")
      settings.out = value;
    else if (key == "--connect-timeout-s")
      settings.connect_timeout_s = std::atoi(value.c_str());
    else if (key == "--tcp-nodelay")
      settings.tcp_nodelay = value != "0";
    else if (!extra || !extra(key, value))
      return false;
  }
  return !settings.broker.empty() && settings.docks > 0 && settings.period_ms > 0;
}

/// Serial number of dock `index` of this process's fleet (the MQTT client id too); unique per process.
inline std::string fleet_dock_sn(int index) {
  char number[16];
  std::snprintf(number, sizeof number, "%05d", index);
  return "FLEET" + std::to_string(getpid() % 100000) + "D" + number;
}

/// The dock's OSD `data` (DJI Cloud API dock properties), as a fleet dock reports it.
inline constexpr const char* kDockOsd =
    R"({"network_state":{"type":2,"quality":4,"rate":812.5},"drone_in_dock":1,"drone_charge_state":{"state":0,)"
    R"("capacity_percent":100},"rainfall":0,"wind_speed":1.8,"environment_temperature":22.5,"temperature":26.1,)"
    R"("humidity":48,"latitude":22.577673,"longitude":113.943225,"height":45.2,"mode_code":0,"cover_state":0,)"
    R"("putter_state":0,"supplement_light_state":0,"emergency_stop_state":0,"air_conditioner":{)"
    R"("air_conditioner_state":0,"switch_time":0},"battery_store_mode":1,"alarm_state":0,"job_number":412,)"
    R"("acc_time":9120344,"activation_time":1700000000,"storage":{"total":82045336,"used":1203482}})";

/// The aircraft's OSD `data`, as a docked aircraft reports it.
inline constexpr const char* kAircraftOsd =
    R"({"mode_code":0,"gear":1,"horizontal_speed":0,"vertical_speed":0,"longitude":113.943225,)"
    R"("latitude":22.577673,"height":45.2,"elevation":0,"attitude_pitch":0,"attitude_roll":0,"attitude_head":87.6,)"
    R"("home_distance":0,"wind_speed":0,"battery":{"capacity_percent":100,"remain_flight_time":1800,)"
    R"("return_home_power":18,"landing_power":8,"batteries":[{"capacity_percent":100,"index":0,)"
    R"("sn":"4BUPJ9K0A1B2C3","type":0,"sub_type":0,"firmware_version":"02.01.0011","loop_times":57,)"
    R"("voltage":17020,"temperature":26.4,"high_voltage_storage_days":0}]},"total_flight_distance":183520.6,)"
    R"("total_flight_time":215040,"total_flight_sorties":412,"position_state":{"is_fixed":2,"quality":5,)"
    R"("gps_number":19,"rtk_number":31},"storage":{"total":60000000,"used":12873216},"camera_mode":1,)"
    R"("obstacle_avoidance":{"horizon":1,"upside":1,"downside":1},"night_lights_state":0,"height_limit":500})";

/// Lateness samples of all OSD sources, collected only while `recording` is set.
struct JitterLog {
  std::mutex mutex;
  std::atomic<bool> recording{false};
  std::atomic<std::uint64_t> fills{0};
};

/// The schedule of one OSD source, mirrored from the SDK's rule (next = previous due + period; when that is
/// already past, now + period).
struct OsdSchedule {
  std::int64_t expected_ms = 0;
  std::int64_t period_ms = 0;
  JitterLog* log = nullptr;
  const std::string* json = nullptr;

  /// Lateness against the mirrored schedule, while recording. Each source starts at a random phase, so the
  /// first fill only estimates it: late_against_phase() takes the least-late fill as on time.
  std::vector<std::int64_t> raw_late_ms;

  /// Called right before the publish: records how late it is and advances the mirrored schedule.
  void mark_due() {
    const std::int64_t now = now_ms();
    if (expected_ms == 0) expected_ms = now;
    if (log->recording.load(std::memory_order_relaxed)) {
      log->fills.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(log->mutex);  // the report reads it once recording stopped
      raw_late_ms.push_back(now - expected_ms);
    }
    expected_ms += period_ms;
    if (expected_ms <= now) expected_ms = now + period_ms;
  }

  /// The SDK's OSD fill callback: mark_due(), then the payload.
  void fill(std::string& data) {
    mark_due();
    data = *json;
  }

  /// Appends this source's lateness samples, with its phase set by its least-late fill, to `out`.
  void late_against_phase(std::vector<std::int64_t>& out) const {
    if (raw_late_ms.empty()) return;
    const std::int64_t phase = *std::min_element(raw_late_ms.begin(), raw_late_ms.end());
    for (std::int64_t late : raw_late_ms) out.push_back(late - phase);
  }
};

/// Connection progress of the whole fleet.
struct FleetState {
  std::mutex mutex;
  std::condition_variable changed;
  int connected = 0;
  int ever_connected = 0;
  std::int64_t last_first_connect_ms = 0;
  std::map<std::string, int> failures;  // reason -> count

  /// A dock came up; `was_connected` is that dock's own flag (guarded by `mutex`).
  void on_connected(bool& was_connected) {
    std::lock_guard<std::mutex> lock(mutex);
    ++connected;
    if (!was_connected) {
      was_connected = true;
      ++ever_connected;
      last_first_connect_ms = now_ms();
    }
    changed.notify_all();
  }

  /// A dock's connect failed or its connection was lost, for `reason`; `was_connected` is read under `mutex`.
  void on_failed(const bool& was_connected, std::string reason) {
    std::lock_guard<std::mutex> lock(mutex);
    if (was_connected && connected > 0) --connected;
    if (reason.size() > 90) reason.resize(90);
    ++failures[reason];
    changed.notify_all();
  }

  /// Waits until every one of `docks` has connected once; false on timeout.
  bool wait_all_connected(int docks, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return ever_connected == docks; });
  }

  /// Failed attempts in total, and "count× reason; ..." for the log.
  int failed_attempts(std::string& reasons) {
    std::lock_guard<std::mutex> lock(mutex);
    int total = 0;
    for (const auto& [reason, count] : failures) {
      total += count;
      reasons += (reasons.empty() ? "" : "; ") + std::to_string(count) + "× " + reason;
    }
    return total;
  }
};

/// CPU seconds (user + system) of a process from /proc/PID/stat; -1 when unreadable.
inline double process_cpu_s(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// VmRSS of a process in MiB; -1 when unreadable.
inline double process_rss_mib(long pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

/// CPU seconds (user + system) of this process so far.
inline double self_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// `value` printed with a printf `format`.
inline std::string fmt(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

/// CPU of this process and of the broker over the steady window.
class SteadyWindow {
 public:
  explicit SteadyWindow(long broker_pid) : broker_pid_(broker_pid) {}

  /// Starts the window and the lateness recording.
  void begin(JitterLog& jitter) {
    cpu_before_ = self_cpu_s();
    broker_cpu_before_ = broker_pid_ > 0 ? process_cpu_s(broker_pid_) : -1;
    start_ms_ = now_ms();
    jitter.recording = true;
  }

  /// Stops the lateness recording and the window.
  void end(JitterLog& jitter) {
    jitter.recording = false;
    end_ms_ = now_ms();
    cpu_after_ = self_cpu_s();
    broker_cpu_after_ = broker_pid_ > 0 ? process_cpu_s(broker_pid_) : -1;
  }

  /// Length of the window in seconds.
  double seconds() const { return static_cast<double>(end_ms_ - start_ms_) / 1000.0; }
  /// CPU seconds per second of this process.
  double cpu_per_s() const { return (cpu_after_ - cpu_before_) / seconds(); }
  /// CPU seconds per second of the broker; -1 without its PID.
  double broker_cpu_per_s() const {
    return broker_cpu_before_ >= 0 ? (broker_cpu_after_ - broker_cpu_before_) / seconds() : -1;
  }

 private:
  long broker_pid_;
  double cpu_before_ = 0, cpu_after_ = 0, broker_cpu_before_ = -1, broker_cpu_after_ = -1;
  std::int64_t start_ms_ = 0, end_ms_ = 0;
};

/// Lateness samples of `schedules`, each against its own phase, sorted; read once recording stopped.
inline std::vector<std::int64_t> sorted_late(JitterLog& jitter, const std::vector<const OsdSchedule*>& schedules) {
  std::vector<std::int64_t> late;
  {
    std::lock_guard<std::mutex> lock(jitter.mutex);
    for (const OsdSchedule* schedule : schedules) schedule->late_against_phase(late);
  }
  std::sort(late.begin(), late.end());
  return late;
}

/// Everything one markdown row of the fleet tables shows.
struct FleetRow {
  int docks = 0;
  bool all_connected = false;
  double connect_s = 0;  // until the last dock connected for the first time
  double ready_s = -1;   // until every dock's update_topo was acknowledged; -1: not all, or no protocol work
  int ever_connected = 0;
  int failed_attempts = 0;
  double cpu_per_s = 0;
  double broker_cpu_per_s = -1;
  double rss_mib = -1;
  double broker_rss_mib = -1;
  double messages_per_s = 0;
  double expected_per_s = 0;
  std::vector<std::int64_t> late_ms;  // sorted
};

/// Fills the measured columns of `row` once the steady `window` ended: RSS and CPU of this process and of the
/// broker, the OSD rate (`published` during the window) against the expected one, the lateness of `schedules`,
/// and the connect figures of `fleet` counted from `start_ms`. Returns the connect failures by reason, for stderr.
inline std::string measure_row(FleetRow& row, const FleetSettings& settings, const SteadyWindow& window,
                               std::uint64_t published, JitterLog& jitter,
                               const std::vector<const OsdSchedule*>& schedules, FleetState& fleet,
                               std::int64_t start_ms) {
  row.rss_mib = process_rss_mib(getpid());
  row.broker_rss_mib = settings.broker_pid > 0 ? process_rss_mib(settings.broker_pid) : -1;
  row.cpu_per_s = window.cpu_per_s();
  row.broker_cpu_per_s = window.broker_cpu_per_s();
  row.messages_per_s = static_cast<double>(published) / window.seconds();
  row.expected_per_s = 2.0 * settings.docks * 1000.0 / static_cast<double>(settings.period_ms);
  row.late_ms = sorted_late(jitter, schedules);
  std::string reasons;
  row.failed_attempts = fleet.failed_attempts(reasons);
  std::lock_guard<std::mutex> lock(fleet.mutex);
  row.ever_connected = fleet.ever_connected;
  row.connect_s = static_cast<double>(fleet.last_first_connect_ms - start_ms) / 1000.0;
  return reasons;
}

/// Waits until `done_count()` reaches `docks` or `deadline_ms` (on now_ms()) passes, polling: the fleets have no
/// single event for "every dock acknowledged". Returns the seconds from `start_ms` then, or -1 on the deadline.
inline double wait_all_ready(int docks, const std::function<std::int64_t()>& done_count, std::int64_t start_ms,
                             std::int64_t deadline_ms) {
  while (done_count() < docks) {
    if (now_ms() >= deadline_ms) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return static_cast<double>(now_ms() - start_ms) / 1000.0;
}

/// The `p` quantile of sorted `late`, -1 when there are no samples.
inline double quantile(const std::vector<std::int64_t>& late, double p) {
  if (late.empty()) return -1;
  return static_cast<double>(
      late[std::min(late.size() - 1, static_cast<std::size_t>(p * static_cast<double>(late.size())))]);
}

/// The row, in the column order of the fleet tables in bench-results.md.
inline std::string markdown_row(const FleetRow& row) {
  const double p99 = quantile(row.late_ms, 0.99);
  std::ostringstream md;
  md << "| " << row.docks << " | "
     << (row.all_connected ? fmt("%.2f", row.connect_s) : "not all (" + std::to_string(row.ever_connected) + ")")
     << " | " << row.failed_attempts << " | " << fmt("%.3f", row.cpu_per_s) << " | "
     << (row.broker_cpu_per_s >= 0 ? fmt("%.3f", row.broker_cpu_per_s) : "n/a") << " | " << fmt("%.0f", row.rss_mib)
     << " | " << (row.broker_rss_mib >= 0 ? fmt("%.0f", row.broker_rss_mib) : "n/a") << " | "
     << fmt("%.0f", row.messages_per_s) << " / " << fmt("%.0f", row.expected_per_s) << " | "
     << fmt("%.0f", quantile(row.late_ms, 0.5)) << " | " << fmt("%.0f", p99) << " | "
     << fmt("%.0f", row.late_ms.empty() ? -1.0 : static_cast<double>(row.late_ms.back())) << " | "
     << (p99 >= 0 && p99 < 100 ? "yes" : "no") << " | " << (row.ready_s >= 0 ? fmt("%.2f", row.ready_s) : "n/a")
     << " |\n";
  return md.str();
}

/// Prints `row` to stdout and appends it to `out` when that is set.
inline void emit_row(const FleetRow& row, const std::string& out) {
  const std::string md = markdown_row(row);
  std::fputs(md.c_str(), stdout);
  if (!out.empty()) std::ofstream(out, std::ios::app) << md;
}

/// Runs `teardown` on a thread and waits at most `cap` for it: a fleet stuck mid-connect can take minutes to
/// stop, and that is reported rather than waited for. False when it did not finish; the thread then keeps running
/// and the caller should _Exit.
inline bool finish_within(std::function<void()> teardown, std::chrono::seconds cap) {
  struct Done {
    std::mutex mutex;
    std::condition_variable changed;
    bool done = false;
  };
  auto done = std::make_shared<Done>();
  std::thread worker([done, teardown = std::move(teardown)] {
    teardown();
    std::lock_guard<std::mutex> lock(done->mutex);
    done->done = true;
    done->changed.notify_all();
  });
  std::unique_lock<std::mutex> lock(done->mutex);
  if (!done->changed.wait_for(lock, cap, [&] { return done->done; })) {
    worker.detach();
    return false;
  }
  lock.unlock();
  worker.join();
  return true;
}

/// The fleet benchmarks' shutdown: `teardown` through finish_within() with a 20 s cap, then "<label>: shutdown
/// <seconds> s" on stderr. When it did not finish in time that is said instead and the process ends at once with
/// `exit_code` (stdout flushed, the teardown thread left running).
inline void shut_down_fleet(const std::string& label, std::function<void()> teardown, int exit_code) {
  const std::int64_t start = now_ms();
  if (!finish_within(std::move(teardown), std::chrono::seconds(20))) {
    std::fprintf(stderr, "%s: shutdown not finished after 20 s; exiting without it\n", label.c_str());
    std::fflush(stdout);
    std::_Exit(exit_code);
  }
  std::fprintf(stderr, "%s: shutdown %.2f s\n", label.c_str(), static_cast<double>(now_ms() - start) / 1000.0);
}

}  // namespace docklink::bench
