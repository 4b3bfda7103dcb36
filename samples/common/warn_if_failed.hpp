// warn_if_failed: how the samples handle a failed SDK call they carry on after.
#pragma once

#include <string>
#include <string_view>

#include "docklink/port/log.hpp"
#include "docklink/status.hpp"

namespace docklink::samples {

/// Logs `status` as a warning when it failed, naming `what` was attempted. For calls after which a dock carries
/// on (a progress event refused while the uplink queue is full is not worth stopping a flight for) but whose
/// failure must still show in the log.
inline void warn_if_failed(port::Log* log, const Status& status, std::string_view what) {
  if (status || log == nullptr || !log->enabled(port::LogLevel::kWarn)) return;
  std::string line(what);
  line += " failed: ";
  line += status.to_string();
  log->write(port::LogLevel::kWarn, "sample", line);
}

}  // namespace docklink::samples
