#include "docklink/ports/utc_time.hpp"

#include <cinttypes>
#include <cstdio>

namespace docklink::ports {

namespace {

constexpr std::int64_t kMsPerDay = 86400000;

// Floor division, so that times before 1970 land on the right day.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

// Days since 1970-01-01 to a date. The calendar is counted from 0000-03-01 so that the leap day is the last day
// of a "year" and every 400-year era has the same 146097 days.
void set_date_from_days(std::int64_t days_since_epoch, UtcTime& out) {
  const std::int64_t days_since_0000_03_01 = days_since_epoch + 719468;
  const std::int64_t era = floor_div(days_since_0000_03_01, 146097);
  const std::int64_t day_of_era = days_since_0000_03_01 - era * 146097;  // 0..146096
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // 0..399
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;  // 0..11
  out.day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  out.month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  out.year = era * 400 + year_of_era + (out.month <= 2 ? 1 : 0);
}

}  // namespace

UtcTime utc_time_from_unix_ms(std::int64_t unix_ms) noexcept {
  UtcTime time;
  const std::int64_t days = floor_div(unix_ms, kMsPerDay);
  std::int64_t ms_of_day = unix_ms - days * kMsPerDay;
  set_date_from_days(days, time);
  time.millisecond = static_cast<int>(ms_of_day % 1000);
  ms_of_day /= 1000;
  time.second = static_cast<int>(ms_of_day % 60);
  ms_of_day /= 60;
  time.minute = static_cast<int>(ms_of_day % 60);
  time.hour = static_cast<int>(ms_of_day / 60);
  return time;
}

std::string format_iso8601_utc(std::int64_t unix_ms) {
  const UtcTime time = utc_time_from_unix_ms(unix_ms);
  char text[48];
  std::snprintf(text, sizeof text, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%03dZ", time.year, time.month, time.day,
                time.hour, time.minute, time.second, time.millisecond);
  return text;
}

}  // namespace docklink::ports
