// dock-sim: a fleet of simulated DJI docks (Dock 1/2/3 with their aircraft) speaking the DJI Cloud API through
// DockLink. One Runtime and one Scheduler serve the docks of a process; every dock has its own transport and
// Client. With --processes N the fleet is split over N worker processes (worker_processes.hpp).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <vector>

#include "docklink/runtime.hpp"
#include "docklink/stop_clients.hpp"
#include "media_files.hpp"
#include "platform_setup.hpp"
#include "process_clock.hpp"
#include "refusals.hpp"
#include "scheduler.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"
#include "sim_limits.hpp"
#include "sim_options.hpp"
#include "worker_processes.hpp"

namespace {

using docklink::sim::SimDock;

using docklink::sim::elapsed_ms;

// Stops the docks together: each stop waits for a clean MQTT DISCONNECT, which one after another adds up over a
// big fleet, so stop_clients() overlaps them.
void stop_fleet(std::vector<std::unique_ptr<SimDock>>& docks) {
  std::vector<docklink::Client*> clients;
  clients.reserve(docks.size());
  for (auto& dock : docks) clients.push_back(dock->prepare_stop());
  docklink::Status stopped = docklink::stop_clients(clients);
  if (!stopped) std::fprintf(stderr, "dock-sim: stopping the docks: %s\n", stopped.to_string().c_str());
}

// Waits for SIGINT/SIGTERM or --duration-s, reporting when every dock has connected once; says why it stops.
void wait_for_stop(const sigset_t& signals, const std::vector<std::unique_ptr<SimDock>>& docks,
                   const docklink::sim::SimOptions& options, const docklink::sim::WorkerReport& report,
                   std::chrono::steady_clock::time_point started) {
  const bool print = !report.in_worker();
  bool all_connected = false;
  int exit_signal = 0;
  for (;;) {
    timespec wait{0, 200 * 1000 * 1000};
    int received = sigtimedwait(&signals, nullptr, &wait);
    if (received == SIGINT || received == SIGTERM) {
      exit_signal = received;
      break;
    }
    if (!all_connected) {
      all_connected = std::all_of(docks.begin(), docks.end(), [](const auto& dock) { return dock->ever_connected(); });
      if (all_connected) report.all_connected();
      if (all_connected && print) {
        std::printf("dock-sim: all %zu dock(s) connected in %lld ms\n", docks.size(),
                    static_cast<long long>(elapsed_ms(started)));
      }
    }
    if (options.duration_s > 0 && static_cast<double>(elapsed_ms(started)) >= options.duration_s * 1000.0) break;
  }
  if (print) {
    std::printf("dock-sim: stopping (%s)\n", exit_signal == SIGINT    ? "SIGINT"
                                             : exit_signal == SIGTERM ? "SIGTERM"
                                                                      : "duration reached");
  }
}

// Starts every dock connecting; false (said on stderr) when one cannot start.
bool start_fleet(std::vector<std::unique_ptr<SimDock>>& docks) {
  for (auto& dock : docks) {
    docklink::Status status = dock->start();
    if (!status) {
      std::fprintf(stderr, "dock-sim: dock %s: %s\n", dock->sn().c_str(), status.to_string().c_str());
      return false;
    }
  }
  return true;
}

// What the fleet refused and how its media went, printed on exit.
void print_summaries() {
  std::string refused = docklink::sim::refusal_summary();
  if (!refused.empty()) std::printf("dock-sim: refused %s\n", refused.c_str());
  std::string media = docklink::sim::media_summary();
  if (!media.empty()) std::printf("dock-sim: media %s\n", media.c_str());
}

// Runs docks slice.first.. of the fleet in this process until SIGINT/SIGTERM or --duration-s; the exit status.
// SIGINT/SIGTERM must be blocked. A worker leaves the fleet's output to its parent and only reports progress.
int run_docks(const docklink::sim::SimOptions& options, const docklink::sim::DockSlice& slice,
              const docklink::sim::WorkerReport& report) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  const bool print = !report.in_worker();

  docklink::samples::PlatformSetup platform;
  docklink::Status status = platform.open(options.log_level, options.json_log);
  if (!status) {
    std::fprintf(stderr, "dock-sim: %s\n", status.to_string().c_str());
    return 1;
  }
  docklink::Runtime runtime(*platform.ports().clock);
  docklink::sim::Scheduler scheduler(
      static_cast<std::size_t>(slice.count) * docklink::sim::limits::kSchedulerTasksPerDock, platform.ports().log);
  // The process's downloads, before the docks so that it outlives them.
  auto created = docklink::sim::SimFiles::create(options, runtime, platform.ports());
  if (!created) {
    std::fprintf(stderr, "dock-sim: downloads: %s\n", created.status().to_string().c_str());
    return 1;
  }
  std::unique_ptr<docklink::sim::SimFiles> files = std::move(created).value();

  std::vector<std::unique_ptr<SimDock>> docks;
  docks.reserve(static_cast<std::size_t>(slice.count));
  for (int i = slice.first; i < slice.first + slice.count; ++i) {
    auto dock = std::make_unique<SimDock>(options, i, scheduler);
    status = dock->init(runtime, platform.ports());
    if (!status) {
      std::fprintf(stderr, "dock-sim: dock %s: %s\n", dock->sn().c_str(), status.to_string().c_str());
      return 1;
    }
    dock->attach_files(*files);
    if (print) {
      std::printf("dock-sim: dock %s aircraft %s model %s/%s\n", dock->sn().c_str(), dock->aircraft_sn().c_str(),
                  options.product->name, options.product->aircraft_name);
    }
    docks.push_back(std::move(dock));
  }

  auto started = std::chrono::steady_clock::now();
  if (!start_fleet(docks)) return 1;
  report.started();
  if (print) {
    std::printf("dock-sim: %d dock(s) started against %s (speed %.1fx, OSD every %lld ms)\n", slice.count,
                options.broker.c_str(), options.speed, static_cast<long long>(options.osd_period_ms));
  }

  wait_for_stop(signals, docks, options, report, started);
  scheduler.stop();
  files->shutdown();  // no download callback may reach a stopping dock
  stop_fleet(docks);
  docks.clear();
  print_summaries();
  if (print) std::printf("dock-sim: stopped\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // SIGINT/SIGTERM are taken synchronously by the main thread; every thread and worker process started later
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  docklink::sim::SimOptions options;
  std::string error;
  if (!docklink::sim::parse_sim_options(argc, argv, options, error)) {
    if (error.empty()) return 0;  // --help
    std::fprintf(stderr, "dock-sim: %s (try --help)\n", error.c_str());
    return 2;
  }
  if (options.processes == 1) return run_docks(options, {0, options.docks}, docklink::sim::WorkerReport());
  // Forked before anything here starts a thread (Runtime, Paho, Scheduler): only the forking thread survives fork.
  return docklink::sim::run_worker_processes(
      options, [&](const docklink::sim::DockSlice& slice, const docklink::sim::WorkerReport& report) {
        return run_docks(options, slice, report);
      });
}
