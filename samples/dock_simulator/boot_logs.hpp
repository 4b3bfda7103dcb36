// The logs a simulated device keeps: one text log per boot of the aircraft or the dock, the last few boots. Their
// text depends only on the device, its module and the boot index, so fileupload_list can announce each log's exact
// size and fileupload_start can write the same bytes later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace docklink::sim {

/// One boot's log as fileupload_list lists it.
struct BootLog {
  std::int64_t boot_index = 0;
  std::int64_t start_time = 0;  ///< Unix seconds.
  std::int64_t end_time = 0;    ///< Unix seconds.
  std::int64_t size = 0;        ///< Bytes of boot_log_text().
};

/// The boot logs of device `device_sn` (`dock`: the dock, else its aircraft) at `now_s`, oldest first. Boot indexes
/// differ between aircraft and dock so a cloud can tell them apart.
std::vector<BootLog> boot_logs(const std::string& device_sn, bool dock, std::int64_t now_s);

/// The text of one boot's log, or nothing when the device has no boot `boot_index`.
std::optional<std::string> boot_log_text(const std::string& device_sn, bool dock, std::int64_t boot_index);

}  // namespace docklink::sim
