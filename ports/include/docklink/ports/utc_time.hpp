// Calendar fields of a Unix time in UTC, computed with 64-bit arithmetic (no time_t, so no Y2038 on armhf).
#pragma once

#include <cstdint>
#include <string>

#include "docklink/export.hpp"

namespace docklink::ports {

/// A broken-down UTC time (proleptic Gregorian calendar).
struct UtcTime {
  std::int64_t year = 1970;  ///< Full year, e.g. 2024.
  int month = 1;             ///< 1-12.
  int day = 1;               ///< 1-31.
  int hour = 0;              ///< 0-23.
  int minute = 0;            ///< 0-59.
  int second = 0;            ///< 0-59 (Unix time has no leap seconds).
  int millisecond = 0;       ///< 0-999.
};

/// Splits milliseconds since the Unix epoch into UTC calendar fields. Negative times (before 1970) work too.
DOCKLINK_API UtcTime utc_time_from_unix_ms(std::int64_t unix_ms) noexcept;

/// Formats milliseconds since the Unix epoch as ISO 8601 UTC with milliseconds: "2024-05-01T12:00:00.123Z".
DOCKLINK_API std::string format_iso8601_utc(std::int64_t unix_ms);

}  // namespace docklink::ports
