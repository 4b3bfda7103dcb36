// The Linux log port: one line per message on stderr (or any FILE*), as text or as JSON lines.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"
#include "docklink/port/log.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// How a StreamLog formats its lines.
enum class LogFormat : std::uint8_t {
  kText,       ///< `2024-05-01T12:00:00.123Z WARN  client: message`
  kJsonLines,  ///< `{"ts":"2024-05-01T12:00:00.123Z","level":"warn","component":"client","msg":"message"}`
};

/// Settings of a StreamLog.
struct StreamLogOptions {
  /// Lines below this level are skipped; kOff silences the log.
  port::LogLevel min_level = port::LogLevel::kInfo;
  /// Line format.
  LogFormat format = LogFormat::kText;
  /// Where lines go; nullptr means stderr. Not owned and not closed.
  std::FILE* stream = nullptr;
  /// Source of the line timestamps; nullptr means the system clock. Not owned; must outlive the log.
  const port::Clock* clock = nullptr;
};

/// port::Log writing to a C stream. Thread-safe: each line is built first and handed to the stream in one write
/// under a mutex, so lines from different threads never interleave. Control characters in messages are escaped,
/// so a message can never forge a second line; JSON lines are valid UTF-8 (bad bytes become U+FFFD).
class DOCKLINK_API StreamLog : public port::Log {
 public:
  /// A log with the given settings.
  explicit StreamLog(StreamLogOptions options = {});

  /// True when `level` is at or above the minimum level (never for kOff).
  bool enabled(port::LogLevel level) const override;
  /// Writes one line (if enabled) and flushes the stream.
  void write(port::LogLevel level, std::string_view component, std::string_view message) override;

  /// Changes the minimum level; takes effect for the next write on every thread.
  void set_min_level(port::LogLevel level) noexcept;

  /// Builds the line `write` would emit for a message logged at `unix_ms`, including the trailing newline.
  std::string format_line(std::int64_t unix_ms, port::LogLevel level, std::string_view component,
                          std::string_view message) const;

 private:
  std::atomic<port::LogLevel> min_level_;
  const LogFormat format_;
  std::FILE* const stream_;
  const port::Clock* const clock_;
  std::mutex write_mutex_;
};

/// Parses a level name: trace, debug, info, warn (or warning), error, off; case-insensitive.
/// kInvalidArgument for anything else.
DOCKLINK_API Result<port::LogLevel> parse_log_level(std::string_view name);

}  // namespace docklink::ports
