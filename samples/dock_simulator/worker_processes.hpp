// dock-sim --processes N: the fleet split over N worker processes, each with its own Runtime, Scheduler and Paho
// clients. Paho C runs one send and one receive thread per process (polling every socket of the process);
// worker processes spread that work over the cores.
#pragma once

#include <functional>
#include <vector>

#include "sim_options.hpp"

namespace docklink::sim {

/// A contiguous range of dock indexes run by one process.
struct DockSlice {
  int first = 0;  ///< Index of its first dock.
  int count = 0;  ///< Number of docks.
};

/// Splits a fleet of `docks` into `processes` contiguous slices in index order whose sizes differ by at most one.
std::vector<DockSlice> split_fleet(int docks, int processes);

/// How a process running docks tells the parent of a multi-process fleet how far they got. The default one
/// belongs to a single-process fleet: it reports nothing and the process prints its progress itself.
class WorkerReport {
 public:
  WorkerReport() = default;
  /// Reports through the write end of the parent's pipe.
  explicit WorkerReport(int pipe_fd) : pipe_fd_(pipe_fd) {}

  /// True in a worker process: the parent prints the fleet's progress.
  bool in_worker() const { return pipe_fd_ >= 0; }
  /// Every dock of this worker was started.
  void started() const { send('S'); }
  /// Every dock of this worker was connected at least once.
  void all_connected() const { send('C'); }

 private:
  void send(char event) const;

  int pipe_fd_ = -1;
};

/// Runs the fleet as options.processes worker processes; `run_worker` runs one slice in a worker and returns its
/// exit status. Call it while the process has one thread and SIGINT/SIGTERM blocked (workers take them with
/// sigtimedwait). The parent prints the fleet's docks and progress, forwards SIGINT/SIGTERM to the workers, stops
/// the others when one fails, and returns 0 when every worker exited with 0, else 1.
int run_worker_processes(const SimOptions& options,
                         const std::function<int(const DockSlice&, const WorkerReport&)>& run_worker);

}  // namespace docklink::sim
