// Pieces shared by the transfer benchmarks (bench_download, bench_upload): test files, a TLS certificate, peak RSS,
// CPU time of this process and of finished children, how one run of curl or of the engine is timed and its
// samples kept, medians and the machine's load.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "docklink/status.hpp"

namespace docklink::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// A /proc/self/status field in KiB ("VmRSS", "VmHWM"); -1 when absent.
inline long status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0); false when the kernel refuses.
inline bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

/// User + system CPU seconds of this process (RUSAGE_SELF, every thread) or of its waited-for children.
inline double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// The 1-minute load average ("?" when unknown): the machine's other work, printed with every result.
inline std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one;
  return file >> one ? one : std::string("?");
}

/// The median of the positive values (failed runs are negative); -1 when there is none.
inline double median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double value) { return value <= 0; }), values.end());
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/// `mib` MiB of pseudo-random bytes written in 1 MiB pieces (never held whole in memory).
inline bool write_test_file(const std::string& path, std::uint64_t mib) {
  std::ofstream out(path, std::ios::binary);
  std::string piece(1u << 20, '\0');
  std::uint32_t state = 2024;
  for (std::uint64_t i = 0; i < mib; ++i) {
    for (char& byte : piece) {
      state = state * 1103515245u + 12345u;
      byte = static_cast<char>(state >> 24);
    }
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  }
  return static_cast<bool>(out);
}

/// A self-signed P-256 certificate for 127.0.0.1 as DIR/cert.pem and DIR/key.pem (openssl command line).
inline bool make_certificate(const std::string& directory) {
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      directory + "/key.pem' -out '" + directory + "/cert.pem' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

inline double mib_per_second(std::uint64_t mib, double seconds) {
  return seconds > 0 ? static_cast<double>(mib) / seconds : 0;
}

/// One timed run: wall and CPU seconds (negative when it failed) and, for the engine, its peak RSS above idle.
struct Sample {
  double seconds = -1;
  double cpu = -1;
  long peak_above_idle_kib = -1;
};

/// Runs a shell command (curl and friends) and takes its wall time and its CPU time (the waited-for children's).
inline Sample time_command(const std::string& command) {
  Sample sample;
  double cpu_before = cpu_seconds(RUSAGE_CHILDREN);
  auto start = std::chrono::steady_clock::now();
  int status = std::system(command.c_str());
  double seconds = seconds_since(start);
  if (status != 0) return sample;
  sample.seconds = seconds;
  sample.cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu_before;
  return sample;
}

/// Runs one transfer of the engine (`transfer` returns its Status) and takes its wall time, the process's CPU time
/// (the calling thread only waits meanwhile, or is the one transferring) and its peak RSS above `idle_kib` (VmHWM
/// reset before it). A failure is printed, naming `what`.
template <typename Transfer>
Sample time_engine(const char* what, long idle_kib, Transfer&& transfer) {
  Sample run;
  bool peak_reset = reset_peak_rss();
  double cpu_before = cpu_seconds(RUSAGE_SELF);
  auto start = std::chrono::steady_clock::now();
  Status status = transfer();
  if (status.is_ok()) {
    run.seconds = seconds_since(start);
    run.cpu = cpu_seconds(RUSAGE_SELF) - cpu_before;
  } else {
    std::fprintf(stderr, "engine %s failed: %s\n", what, status.to_string().c_str());
  }
  if (peak_reset && idle_kib > 0) run.peak_above_idle_kib = status_kib("VmHWM") - idle_kib;
  return run;
}

/// One contender's samples over the rounds; the peak RSS is the largest of them.
struct Series {
  std::vector<double> seconds, cpu;
  long peak_kib = -1;
  void add(const Sample& sample) {
    seconds.push_back(sample.seconds);
    cpu.push_back(sample.cpu);
    peak_kib = std::max(peak_kib, sample.peak_above_idle_kib);
  }
};

}  // namespace docklink::bench
