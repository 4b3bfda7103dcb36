#include "worker_processes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "process_clock.hpp"

namespace docklink::sim {

std::vector<DockSlice> split_fleet(int docks, int processes) {
  std::vector<DockSlice> slices;
  int first = 0;
  for (int i = 0; i < processes; ++i) {
    int count = docks / processes + (i < docks % processes ? 1 : 0);
    slices.push_back({first, count});
    first += count;
  }
  return slices;
}

void WorkerReport::send(char event) const {
  if (pipe_fd_ < 0) return;
  // One byte is written atomically, so the workers share the pipe. A failure only loses a progress line.
  while (write(pipe_fd_, &event, 1) < 0 && errno == EINTR) {
  }
}

namespace {

struct Worker {
  pid_t pid = -1;
  DockSlice slice;
  bool running = false;
};

// The parent of the workers: starts them, prints the fleet's progress from their reports, forwards signals and
// collects their exit statuses.
class Supervisor {
 public:
  explicit Supervisor(const SimOptions& options) : options_(options) {}

  int run(const std::function<int(const DockSlice&, const WorkerReport&)>& run_worker) {
    print_docks();
    // SIGCHLD stays pending until the signalfd reads it, so no exit is missed however early it comes.
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &child, nullptr);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
      std::perror("dock-sim: pipe");
      return 1;
    }
    report_fd_ = report[0];
    started_at_ = std::chrono::steady_clock::now();
    start_workers(run_worker, report[1], child);
    close(report[1]);  // EOF once every worker is gone
    supervise();
    close(report_fd_);
    std::printf("dock-sim: stopped\n");
    return failed_ ? 1 : 0;
  }

 private:
  void print_docks() {
    for (int i = 0; i < options_.docks; ++i) {
      std::printf("dock-sim: dock %s aircraft %s model %s/%s\n", dock_sn(options_, i).c_str(),
                  aircraft_sn(options_, i).c_str(), options_.product->name, options_.product->aircraft_name);
    }
  }

  void start_workers(const std::function<int(const DockSlice&, const WorkerReport&)>& run_worker, int report_fd,
                     const sigset_t& child) {
    std::fflush(stdout);  // or the workers print the parent's buffered lines again
    std::fflush(stderr);
    pid_t parent = getpid();
    for (const DockSlice& slice : split_fleet(options_.docks, options_.processes)) {
      pid_t pid = fork();
      if (pid == 0) {
        close(report_fd_);
        // A worker must not outlive its parent (killed outright, say): it then stops like on SIGTERM.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        pthread_sigmask(SIG_UNBLOCK, &child, nullptr);
        std::exit(run_worker(slice, WorkerReport(report_fd)));
      }
      if (pid < 0) {
        std::perror("dock-sim: fork");
        fail();
        return;
      }
      workers_.push_back({pid, slice, true});
      ++running_;
    }
  }

  void supervise() {
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGCHLD);
    int signal_fd = signalfd(-1, &watched, SFD_CLOEXEC);
    if (signal_fd < 0) {
      std::perror("dock-sim: signalfd");
      fail();
      for (auto& worker : workers_) waitpid(worker.pid, nullptr, 0);
      return;
    }
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {report_fd_, POLLIN, 0}};
    nfds_t watching = 2;
    while (running_ > 0) {
      if (poll(fds, watching, -1) < 0) {
        if (errno == EINTR) continue;
        std::perror("dock-sim: poll");
        break;
      }
      if (watching == 2 && fds[1].revents != 0 && !read_reports()) watching = 1;
      if (fds[0].revents != 0) take_signal(signal_fd);
    }
    close(signal_fd);
  }

  // False at EOF.
  bool read_reports() {
    char events[64];
    ssize_t size = read(report_fd_, events, sizeof events);
    if (size < 0 && errno == EINTR) return true;
    if (size <= 0) return false;
    for (ssize_t i = 0; i < size; ++i) {
      if (events[i] == 'S' && ++started_ == options_.processes) {
        std::printf("dock-sim: %d dock(s) started against %s (speed %.1fx, OSD every %lld ms, %d processes)\n",
                    options_.docks, options_.broker.c_str(), options_.speed,
                    static_cast<long long>(options_.osd_period_ms), options_.processes);
      } else if (events[i] == 'C' && ++connected_ == options_.processes) {
        std::printf("dock-sim: all %d dock(s) connected in %lld ms\n", options_.docks,
                    static_cast<long long>(elapsed_ms(started_at_)));
      }
    }
    return true;
  }

  void take_signal(int signal_fd) {
    signalfd_siginfo info{};
    if (read(signal_fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return;
    int signal = static_cast<int>(info.ssi_signo);
    if (signal == SIGCHLD) {
      reap();
      return;
    }
    announce_stop(signal == SIGINT ? "SIGINT" : "SIGTERM");
    forward(signal);
  }

  // SIGCHLDs merge: every exited worker is collected.
  void reap() {
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      for (auto& worker : workers_) {
        if (worker.pid != pid || !worker.running) continue;
        worker.running = false;
        --running_;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          announce_stop("duration reached");  // the only way a worker ends by itself
        } else {
          std::fprintf(stderr, "dock-sim: worker of docks %s..%s %s %d\n",
                       dock_sn(options_, worker.slice.first).c_str(),
                       dock_sn(options_, worker.slice.first + worker.slice.count - 1).c_str(),
                       WIFEXITED(status) ? "exited with" : "was killed by signal",
                       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
          fail();
        }
      }
    }
  }

  // A failed worker stops the fleet: a partial fleet would look healthy to whoever started it.
  void fail() {
    failed_ = true;
    announce_stop("a worker failed");
    forward(SIGTERM);
  }

  void announce_stop(const char* reason) {
    if (stopping_) return;
    stopping_ = true;
    std::printf("dock-sim: stopping (%s)\n", reason);
  }

  void forward(int signal) {
    for (const auto& worker : workers_) {
      if (worker.running) kill(worker.pid, signal);
    }
  }

  const SimOptions& options_;
  std::vector<Worker> workers_;
  int running_ = 0;
  int report_fd_ = -1;
  int started_ = 0;
  int connected_ = 0;
  bool stopping_ = false;
  bool failed_ = false;
  std::chrono::steady_clock::time_point started_at_;
};

}  // namespace

int run_worker_processes(const SimOptions& options,
                         const std::function<int(const DockSlice&, const WorkerReport&)>& run_worker) {
  Supervisor supervisor(options);
  return supervisor.run(run_worker);
}

}  // namespace docklink::sim
