#include "boot_logs.hpp"

#include <algorithm>
#include <cstdio>

namespace docklink::sim {

namespace {

constexpr int kBootsPerDevice = 3;
constexpr std::int64_t kSecondsPerBoot = 6 * 3600;
constexpr std::int64_t kFirstAircraftBoot = 40;
constexpr std::int64_t kFirstDockBoot = 120;
// About 80 KB per boot: small on disk, yet more than one read of an upload, so a paced upload is still going
// after its first read (a file sent whole in one read is complete at the server however slowly it is paced).
constexpr int kLinesPerBoot = 1500;

const char* const kAircraftLines[] = {"power on, self test passed",
                                      "battery 97%, 25.1 C",
                                      "gps fix, 21 satellites",
                                      "imu calibrated",
                                      "link to dock up",
                                      "motors armed",
                                      "motors disarmed"};
const char* const kDockLines[] = {
    "power on, self test passed", "cover closed", "air conditioner idle", "rtk base fixed", "mqtt connected",
    "charging aircraft",          "cover opened"};

std::int64_t first_boot(bool dock) { return dock ? kFirstDockBoot : kFirstAircraftBoot; }

}  // namespace

std::vector<BootLog> boot_logs(const std::string& device_sn, bool dock, std::int64_t now_s) {
  std::vector<BootLog> logs;
  for (int i = 0; i < kBootsPerDevice; ++i) {
    BootLog log;
    log.boot_index = first_boot(dock) + i;
    log.start_time = now_s - (kBootsPerDevice - i) * kSecondsPerBoot;
    log.end_time = i + 1 == kBootsPerDevice ? now_s : log.start_time + kSecondsPerBoot - 60;
    log.size = static_cast<std::int64_t>(boot_log_text(device_sn, dock, log.boot_index)->size());
    logs.push_back(log);
  }
  return logs;
}

std::optional<std::string> boot_log_text(const std::string& device_sn, bool dock, std::int64_t boot_index) {
  if (boot_index < first_boot(dock) || boot_index >= first_boot(dock) + kBootsPerDevice) return std::nullopt;
  const char* const* lines = dock ? kDockLines : kAircraftLines;
  constexpr std::size_t kCount = sizeof kDockLines / sizeof kDockLines[0];
  static_assert(kCount == sizeof kAircraftLines / sizeof kAircraftLines[0]);
  std::string text;
  char line[160];
  for (int i = 0; i < kLinesPerBoot; ++i) {
    int written = std::snprintf(line, sizeof line, "[boot %lld +%05d.%03ds] %s %s: %s\n",
                                static_cast<long long>(boot_index), i * 7, (i * 311) % 1000, device_sn.c_str(),
                                dock ? "dock" : "aircraft", lines[static_cast<std::size_t>(i) % kCount]);
    if (written > 0) text.append(line, std::min(static_cast<std::size_t>(written), sizeof line - 1));
  }
  return text;
}

}  // namespace docklink::sim
