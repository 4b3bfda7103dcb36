// Pieces shared by the transfer benchmarks (bench_download, bench_upload): test files, a TLS certificate, peak RSS,
// CPU time of this process and of finished children, medians and the machine's load.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

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

}  // namespace docklink::bench
