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
  /// True when lines of this level are wanted; lets the SDK skip formatting. Ordered by severity: when true for
  /// a level, true for every more severe one. Always false for kOff, which is a threshold, not a line level.
  virtual bool enabled(LogLevel level) const = 0;
  /// Writes one line, or nothing when enabled(level) is false (the SDK may call it without asking first).
  /// `component` is a short tag such as "client" or "paho"; both it and `message` are read during the call only
  /// and may hold any bytes (text from the network: line breaks, NULs, invalid UTF-8), which must still give one
  /// line, whole, never interleaved with another thread's. Never throws; drops the line rather than block for
  /// long. Checked by tests/conformance/log_conformance.hpp.
  virtual void write(LogLevel level, std::string_view component, std::string_view message) = 0;
};

}  // namespace docklink::port
