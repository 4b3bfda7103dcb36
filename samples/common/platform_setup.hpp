// The OS ports the samples hand to DockLink: the Linux ports (POSIX clock, mbedTLS random source, stderr
// stream log with a level and an optional JSON line format).
#pragma once

#include <memory>
#include <string>

#include "docklink/port/platform.hpp"
#include "docklink/status.hpp"

namespace docklink::samples {

/// Owns the ports; ports() stays valid while this object lives.
class PlatformSetup {
 public:
  PlatformSetup();
  ~PlatformSetup();
  PlatformSetup(const PlatformSetup&) = delete;
  PlatformSetup& operator=(const PlatformSetup&) = delete;

  /// Creates the ports; `log_level` is trace|debug|info|warn|error|off.
  Status open(const std::string& log_level, bool json_log);
  /// The ports (no store: the samples keep no durable offline queue).
  const port::Platform& ports() const { return platform_; }

 private:
  struct Ports;
  std::unique_ptr<Ports> ports_;
  port::Platform platform_;
};

}  // namespace docklink::samples
