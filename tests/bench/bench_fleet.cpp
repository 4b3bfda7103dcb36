// Fleet scale: N simulated docks (dock + aircraft, periodic OSD through Client::set_osd_source) in one process,
// sharing one Runtime, against one broker. Reports the time until every dock is connected (and the failed
// attempts on the way, by reason), then over a steady window: CPU seconds per simulated second of this process and
// of the broker, RSS of both, OSD messages per second, and OSD period jitter (how late each fill callback, which runs
// right before the publish, ran against its schedule: the SDK schedules the k-th OSD at start + k * period).
// Usage: bench_fleet --broker tcp://127.0.0.1:PORT --docks N [--osd-period-ms 2000] [--duration-s 20]
//                    [--broker-pid PID] [--tcp-nodelay 0|1] [--connect-timeout-s S] [--out FILE]
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
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/ports/linux_platform.hpp"
#include "docklink/ports/paho_transport.hpp"

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Settings from the command line.
struct Settings {
  std::string broker;
  int docks = 100;
  std::int64_t period_ms = 2000;
  int duration_s = 20;
  long broker_pid = 0;
  bool tcp_nodelay = true;
  int connect_timeout_s = 120;
  std::string out;
};

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

  /// Lateness against the mirrored schedule, while recording. The SDK starts each source at a random phase, so
  /// the first fill only estimates it: late_against_phase() takes the least-late fill as on time.
  std::vector<std::int64_t> raw_late_ms;

  void fill(std::string& data) {
    const std::int64_t now = now_ms();
    if (expected_ms == 0) expected_ms = now;
    if (log->recording.load(std::memory_order_relaxed)) {
      log->fills.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(log->mutex);  // the report reads it once recording stopped
      raw_late_ms.push_back(now - expected_ms);
    }
    expected_ms += period_ms;
    if (expected_ms <= now) expected_ms = now + period_ms;
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
};

/// One simulated dock.
struct Dock {
  std::unique_ptr<docklink::ports::PahoTransport> transport;
  std::unique_ptr<docklink::Client> client;
  OsdSchedule dock_osd, aircraft_osd;
  bool was_connected = false;
};

/// CPU seconds (user + system) of a process from /proc/PID/stat; -1 when unreadable.
double process_cpu_s(long pid) {
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
double process_rss_mib(long pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

std::string fmt(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

bool parse(int argc, char** argv, Settings& settings) {
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
    else
      return false;
  }
  return !settings.broker.empty() && settings.docks > 0 && settings.period_ms > 0;
}

const char* kDockOsd =
    R"({"network_state":{"type":2,"quality":4,"rate":812.5},"drone_in_dock":1,"drone_charge_state":{"state":0,)"
    R"("capacity_percent":100},"rainfall":0,"wind_speed":1.8,"environment_temperature":22.5,"temperature":26.1,)"
    R"("humidity":48,"latitude":22.577673,"longitude":113.943225,"height":45.2,"mode_code":0,"cover_state":0,)"
    R"("putter_state":0,"supplement_light_state":0,"emergency_stop_state":0,"air_conditioner":{)"
    R"("air_conditioner_state":0,"switch_time":0},"battery_store_mode":1,"alarm_state":0,"job_number":412,)"
    R"("acc_time":9120344,"activation_time":1700000000,"storage":{"total":82045336,"used":1203482}})";

const char* kAircraftOsd =
    R"({"mode_code":0,"gear":1,"horizontal_speed":0,"vertical_speed":0,"longitude":113.943225,)"
    R"("latitude":22.577673,"height":45.2,"elevation":0,"attitude_pitch":0,"attitude_roll":0,"attitude_head":87.6,)"
    R"("home_distance":0,"wind_speed":0,"battery":{"capacity_percent":100,"remain_flight_time":1800,)"
    R"("return_home_power":18,"landing_power":8,"batteries":[{"capacity_percent":100,"index":0,)"
    R"("sn":"4BUPJ9K0A1B2C3","type":0,"sub_type":0,"firmware_version":"02.01.0011","loop_times":57,)"
    R"("voltage":17020,"temperature":26.4,"high_voltage_storage_days":0}]},"total_flight_distance":183520.6,)"
    R"("total_flight_time":215040,"total_flight_sorties":412,"position_state":{"is_fixed":2,"quality":5,)"
    R"("gps_number":19,"rtk_number":31},"storage":{"total":60000000,"used":12873216},"camera_mode":1,)"
    R"("obstacle_avoidance":{"horizon":1,"upside":1,"downside":1},"night_lights_state":0,"height_limit":500})";

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (!parse(argc, argv, settings)) {
    std::fprintf(stderr,
                 "usage: bench_fleet --broker URI --docks N [--osd-period-ms MS] [--duration-s S] "
                 "[--broker-pid PID] [--out FILE]\n");
    return 2;
  }
  docklink::ports::LinuxPlatformOptions platform_options;
  platform_options.log_level = docklink::port::LogLevel::kError;
  auto os = docklink::ports::LinuxPlatform::create(platform_options).value();
  docklink::Runtime runtime(os->clock());
  const std::string dock_json = kDockOsd;
  const std::string aircraft_json = kAircraftOsd;
  JitterLog jitter;
  FleetState fleet;
  std::vector<std::unique_ptr<Dock>> docks;
  docks.reserve(static_cast<std::size_t>(settings.docks));
  const std::string prefix = "FLEET" + std::to_string(getpid() % 100000) + "D";
  for (int i = 0; i < settings.docks; ++i) {
    auto dock = std::make_unique<Dock>();
    char number[16];
    std::snprintf(number, sizeof number, "%05d", i);
    const std::string sn = prefix + number;
    docklink::ports::PahoTransportOptions mqtt;
    mqtt.server_uri = settings.broker;
    mqtt.default_client_id = sn;
    mqtt.log = &os->log();
    mqtt.tcp_nodelay = settings.tcp_nodelay;
    dock->transport = docklink::ports::PahoTransport::create(mqtt).value();
    docklink::ClientOptions options;
    options.gateway = {sn, "3", 2, 0, "", "1.2.0", "", ""};
    options.sub_devices = {{sn + "A", "0", 91, 1, "A", "1.2.0", "", ""}};
    auto created = docklink::Client::create(options, os->platform(), *dock->transport, runtime);
    if (!created) {
      std::fprintf(stderr, "client %d: %s\n", i, created.status().message().c_str());
      return 1;
    }
    dock->client = std::move(created).value();
    Dock* raw = dock.get();
    dock->client->on_connection_changed([raw, &fleet](bool connected, const docklink::Status& status) {
      std::lock_guard<std::mutex> lock(fleet.mutex);
      if (connected) {
        ++fleet.connected;
        if (!raw->was_connected) {
          raw->was_connected = true;
          ++fleet.ever_connected;
          fleet.last_first_connect_ms = now_ms();
        }
      } else {
        if (raw->was_connected && fleet.connected > 0) --fleet.connected;
        std::string reason = status.message();
        if (reason.size() > 90) reason.resize(90);
        ++fleet.failures[reason];
      }
      fleet.changed.notify_all();
    });
    docks.push_back(std::move(dock));
  }

  const std::int64_t start_ms = now_ms();
  for (auto& dock : docks) {
    const std::string& sn = dock->client->sn();
    for (auto* schedule : {&dock->dock_osd, &dock->aircraft_osd}) {
      schedule->period_ms = settings.period_ms;
      schedule->log = &jitter;
      schedule->json = schedule == &dock->dock_osd ? &dock_json : &aircraft_json;
    }
    OsdSchedule* dock_schedule = &dock->dock_osd;
    dock->client->set_osd_source(sn, std::chrono::milliseconds(settings.period_ms),
                                 [dock_schedule](std::string& data) { dock_schedule->fill(data); });
    OsdSchedule* aircraft_schedule = &dock->aircraft_osd;
    dock->client->set_osd_source(sn + "A", std::chrono::milliseconds(settings.period_ms),
                                 [aircraft_schedule](std::string& data) { aircraft_schedule->fill(data); });
    dock->client->start();
  }
  const std::int64_t started_ms = now_ms();
  bool all_connected = false;
  {
    std::unique_lock<std::mutex> lock(fleet.mutex);
    all_connected = fleet.changed.wait_for(lock, std::chrono::seconds(settings.connect_timeout_s),
                                           [&] { return fleet.ever_connected == settings.docks; });
  }
  const std::int64_t connected_ms = now_ms();

  // Steady window: skip one period so the connect burst is not measured.
  std::this_thread::sleep_for(std::chrono::milliseconds(settings.period_ms));
  std::uint64_t osd_out_before = 0;
  for (auto& dock : docks)
    osd_out_before += dock->client->counters().messages_out[static_cast<std::size_t>(docklink::TopicKind::kOsd)];
  rusage usage_before{};
  getrusage(RUSAGE_SELF, &usage_before);
  const double broker_cpu_before = settings.broker_pid > 0 ? process_cpu_s(settings.broker_pid) : -1;
  const std::int64_t window_start = now_ms();
  jitter.recording = true;
  std::this_thread::sleep_for(std::chrono::seconds(settings.duration_s));
  jitter.recording = false;
  const std::int64_t window_end = now_ms();
  rusage usage_after{};
  getrusage(RUSAGE_SELF, &usage_after);
  const double broker_cpu_after = settings.broker_pid > 0 ? process_cpu_s(settings.broker_pid) : -1;
  std::uint64_t osd_out_after = 0, offline_queued = 0, disconnects = 0;
  for (auto& dock : docks) {
    const docklink::Counters counters = dock->client->counters();
    osd_out_after += counters.messages_out[static_cast<std::size_t>(docklink::TopicKind::kOsd)];
    offline_queued += counters.offline_queued;
    disconnects += counters.disconnects;
  }
  const double rss_mib = process_rss_mib(getpid());
  const double broker_rss_mib = settings.broker_pid > 0 ? process_rss_mib(settings.broker_pid) : -1;

  const auto cpu_s = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double window_s = static_cast<double>(window_end - window_start) / 1000.0;
  const double cpu_per_s = (cpu_s(usage_after) - cpu_s(usage_before)) / window_s;
  const double broker_cpu_per_s = broker_cpu_before >= 0 ? (broker_cpu_after - broker_cpu_before) / window_s : -1;
  const double messages_per_s = static_cast<double>(osd_out_after - osd_out_before) / window_s;
  std::vector<std::int64_t> late;
  std::unique_lock<std::mutex> jitter_lock(jitter.mutex);
  for (const auto& dock : docks) {
    dock->dock_osd.late_against_phase(late);
    dock->aircraft_osd.late_against_phase(late);
  }
  jitter_lock.unlock();
  std::sort(late.begin(), late.end());
  const auto at = [&](double p) -> double {
    if (late.empty()) return -1;
    return static_cast<double>(
        late[std::min(late.size() - 1, static_cast<std::size_t>(p * static_cast<double>(late.size())))]);
  };
  int failed_attempts = 0;
  std::string reasons;
  {
    std::lock_guard<std::mutex> lock(fleet.mutex);
    for (const auto& [reason, count] : fleet.failures) {
      failed_attempts += count;
      reasons += (reasons.empty() ? "" : "; ") + std::to_string(count) + "× " + reason;
    }
  }
  const double expected_per_s = 2.0 * settings.docks * 1000.0 / static_cast<double>(settings.period_ms);

  std::ostringstream md;
  md << "| " << settings.docks << " | "
     << (all_connected ? fmt("%.2f", static_cast<double>(fleet.last_first_connect_ms - start_ms) / 1000.0)
                       : "not all (" + std::to_string(fleet.ever_connected) + ")")
     << " | " << failed_attempts << " | " << fmt("%.3f", cpu_per_s) << " | "
     << (broker_cpu_per_s >= 0 ? fmt("%.3f", broker_cpu_per_s) : "n/a") << " | " << fmt("%.0f", rss_mib) << " | "
     << (broker_rss_mib >= 0 ? fmt("%.0f", broker_rss_mib) : "n/a") << " | " << fmt("%.0f", messages_per_s) << " / "
     << fmt("%.0f", expected_per_s) << " | " << fmt("%.0f", at(0.5)) << " | " << fmt("%.0f", at(0.99)) << " | "
     << fmt("%.0f", late.empty() ? -1.0 : static_cast<double>(late.back())) << " | "
     << (at(0.99) >= 0 && at(0.99) < 100 ? "yes" : "no") << " |\n";
  std::fputs(md.str().c_str(), stdout);
  if (!settings.out.empty()) std::ofstream(settings.out, std::ios::app) << md.str();
  std::fprintf(
      stderr,
      "fleet %d: start loop %.2f s, connect wait %.2f s, window %.1f s, %zu jitter samples, offline queued %llu, "
      "disconnects %llu\n",
      settings.docks, static_cast<double>(started_ms - start_ms) / 1000.0,
      static_cast<double>(connected_ms - started_ms) / 1000.0, window_s, late.size(),
      static_cast<unsigned long long>(offline_queued), static_cast<unsigned long long>(disconnects));
  if (!reasons.empty()) std::fprintf(stderr, "fleet %d connect failures: %s\n", settings.docks, reasons.c_str());
  // Teardown is timed but capped: a fleet stuck mid-connect can take minutes to stop, and that is reported
  // rather than waited for.
  const std::int64_t stop_start = now_ms();
  std::mutex stop_mutex;
  std::condition_variable stopped;
  bool done = false;
  std::thread teardown([&] {
    docks.clear();  // stops and disconnects every client
    std::lock_guard<std::mutex> lock(stop_mutex);
    done = true;
    stopped.notify_all();
  });
  std::unique_lock<std::mutex> stop_lock(stop_mutex);
  if (!stopped.wait_for(stop_lock, std::chrono::seconds(20), [&] { return done; })) {
    std::fprintf(stderr, "fleet %d: shutdown not finished after 20 s; exiting without it\n", settings.docks);
    std::fflush(stdout);
    std::_Exit(all_connected ? 0 : 1);
  }
  stop_lock.unlock();
  teardown.join();
  std::fprintf(stderr, "fleet %d: shutdown %.2f s\n", settings.docks,
               static_cast<double>(now_ms() - stop_start) / 1000.0);
  return all_connected ? 0 : 1;
}
