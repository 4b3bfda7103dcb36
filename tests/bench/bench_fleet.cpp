// Fleet scale: N simulated docks (dock + aircraft, periodic OSD through Client::set_osd_source) in one process,
// sharing one Runtime, against one broker. Reports the time until every dock is connected (and the failed
// attempts on the way, by reason), then over a steady window: CPU seconds per simulated second of this process and
// of the broker, RSS of both, OSD messages per second, and OSD period jitter (how late each fill callback, which runs
// right before the publish, ran against its schedule: the SDK schedules the k-th OSD at start + k * period).
// Usage: bench_fleet --broker tcp://127.0.0.1:PORT --docks N [--osd-period-ms 2000] [--duration-s 20]
//                    [--broker-pid PID] [--tcp-nodelay 0|1] [--connect-timeout-s S] [--out FILE]
//                    [--max-concurrent-connects N]   (the Runtime's connect gate; 0: no limit)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/ports/linux_platform.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "docklink/stop_clients.hpp"
#include "fleet_report.hpp"

namespace {

using namespace docklink::bench;

/// One simulated dock.
struct Dock {
  std::unique_ptr<docklink::ports::PahoTransport> transport;
  std::unique_ptr<docklink::Client> client;
  OsdSchedule dock_osd, aircraft_osd;
  bool was_connected = false;  // guarded by FleetState::mutex
};

}  // namespace

int main(int argc, char** argv) {
  FleetSettings settings;
  docklink::RuntimeOptions runtime_options;
  const bool parsed = parse_fleet_settings(argc, argv, settings, [&](const std::string& key, const std::string& value) {
    if (key != "--max-concurrent-connects") return false;
    runtime_options.max_concurrent_connects = static_cast<std::size_t>(std::atoll(value.c_str()));
    return true;
  });
  if (!parsed) {
    std::fprintf(stderr,
                 "usage: bench_fleet --broker URI --docks N [--osd-period-ms MS] [--duration-s S] "
                 "[--broker-pid PID] [--out FILE] [--max-concurrent-connects N]\n");
    return 2;
  }
  docklink::ports::LinuxPlatformOptions platform_options;
  platform_options.log_level = docklink::port::LogLevel::kError;
  auto os = docklink::ports::LinuxPlatform::create(platform_options).value();
  docklink::Runtime runtime(os->clock(), runtime_options);
  const std::string dock_json = kDockOsd;
  const std::string aircraft_json = kAircraftOsd;
  JitterLog jitter;
  FleetState fleet;
  std::vector<std::unique_ptr<Dock>> docks;
  docks.reserve(static_cast<std::size_t>(settings.docks));
  for (int i = 0; i < settings.docks; ++i) {
    auto dock = std::make_unique<Dock>();
    const std::string sn = fleet_dock_sn(i);
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
      if (connected)
        fleet.on_connected(raw->was_connected);
      else
        fleet.on_failed(raw->was_connected, status.message());
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
    docklink::Status dock_osd =
        dock->client->set_osd_source(sn, std::chrono::milliseconds(settings.period_ms),
                                     [dock_schedule](std::string& data) { dock_schedule->fill(data); });
    OsdSchedule* aircraft_schedule = &dock->aircraft_osd;
    docklink::Status aircraft_osd =
        dock->client->set_osd_source(sn + "A", std::chrono::milliseconds(settings.period_ms),
                                     [aircraft_schedule](std::string& data) { aircraft_schedule->fill(data); });
    docklink::Status started = dock->client->start();
    if (!dock_osd || !aircraft_osd || !started) std::fprintf(stderr, "dock %s failed to set up\n", sn.c_str());
  }
  const std::int64_t started_ms = now_ms();
  FleetRow row;
  row.docks = settings.docks;
  row.all_connected = fleet.wait_all_connected(settings.docks, std::chrono::seconds(settings.connect_timeout_s));
  const std::int64_t connected_ms = now_ms();
  const auto ready_docks = [&docks] {
    std::int64_t ready = 0;
    for (auto& dock : docks) ready += dock->client->counters().connections_ready > 0 ? 1 : 0;
    return ready;
  };
  row.ready_s = wait_all_ready(settings.docks, ready_docks, start_ms, started_ms + settings.connect_timeout_s * 1000);

  // Steady window: skip one period so the connect burst is not measured.
  std::this_thread::sleep_for(std::chrono::milliseconds(settings.period_ms));
  const auto osd_out = [&docks] {
    std::uint64_t sum = 0;
    for (auto& dock : docks)
      sum += dock->client->counters().messages_out[static_cast<std::size_t>(docklink::TopicKind::kOsd)];
    return sum;
  };
  const std::uint64_t osd_out_before = osd_out();
  SteadyWindow window(settings.broker_pid);
  window.begin(jitter);
  std::this_thread::sleep_for(std::chrono::seconds(settings.duration_s));
  window.end(jitter);
  const std::uint64_t osd_out_after = osd_out();
  std::uint64_t offline_queued = 0, disconnects = 0, ready = 0;
  for (auto& dock : docks) {
    const docklink::Counters counters = dock->client->counters();
    offline_queued += counters.offline_queued;
    disconnects += counters.disconnects;
    ready += counters.connections_ready;
  }
  std::vector<const OsdSchedule*> schedules;
  for (const auto& dock : docks) {
    schedules.push_back(&dock->dock_osd);
    schedules.push_back(&dock->aircraft_osd);
  }
  const std::string reasons =
      measure_row(row, settings, window, osd_out_after - osd_out_before, jitter, schedules, fleet, start_ms);
  emit_row(row, settings.out);
  std::fprintf(
      stderr,
      "fleet %d: start loop %.2f s, connect wait %.2f s, window %.1f s, %zu jitter samples, offline queued %llu, "
      "disconnects %llu, topology acknowledged %llu, max concurrent connects %zu\n",
      settings.docks, static_cast<double>(started_ms - start_ms) / 1000.0,
      static_cast<double>(connected_ms - started_ms) / 1000.0, window.seconds(), row.late_ms.size(),
      static_cast<unsigned long long>(offline_queued), static_cast<unsigned long long>(disconnects),
      static_cast<unsigned long long>(ready), runtime_options.max_concurrent_connects);
  if (!reasons.empty()) std::fprintf(stderr, "fleet %d connect failures: %s\n", settings.docks, reasons.c_str());
  const int exit_code = row.all_connected ? 0 : 1;
  // Every dock's DISCONNECT at once (stop_clients), then the transports go; the stop's share is reported apart.
  const auto stop_every_client = [&docks, &settings] {
    std::vector<docklink::Client*> clients;
    for (auto& dock : docks) clients.push_back(dock->client.get());
    const std::int64_t stop_start = now_ms();
    const docklink::Status stopped = docklink::stop_clients(clients);
    std::fprintf(stderr, "fleet %d: stop_clients %.2f s (%s)\n", settings.docks,
                 static_cast<double>(now_ms() - stop_start) / 1000.0, stopped.to_string().c_str());
    docks.clear();
  };
  shut_down_fleet("fleet " + std::to_string(settings.docks), stop_every_client, exit_code);
  return exit_code;
}
