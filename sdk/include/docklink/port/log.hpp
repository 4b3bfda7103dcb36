// Log port: where the SDK's diagnostics go.
#pragma once

#include <cstdint>
#include <string_view>

#include "docklink/export.hpp"

namespace docklink::port {

/// Severity of a log line.
enum class LogLevel : std::uint8_t { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };

/// Returns "trace", "debug", "info", "warn", "error" or "off".
DOCKLINK_API const char* to_string(LogLevel level) noexcept;

/// A log sink. Thread-safe; may be called from any SDK thread (including the transport thread), so it must be
/// quick and must not call back into the SDK. The SDK never passes secrets (passwords, keys, app_key,
/// app_license, device_secret) in a message.
class DOCKLINK_API Log {
 public:
  virtual ~Log() = default;
  /// True when lines of this level are wanted; lets the SDK skip formatting.
  virtual bool enabled(LogLevel level) const = 0;
  /// Writes one line. `component` is a short tag such as "client" or "paho".
  virtual void write(LogLevel level, std::string_view component, std::string_view message) = 0;
};

}  // namespace docklink::port
