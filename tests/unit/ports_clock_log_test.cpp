// PosixClock, UTC calendar conversion, StreamLog formats and filtering, log level names.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "docklink/ports/posix_clock.hpp"
#include "docklink/ports/stream_log.hpp"
#include "docklink/ports/utc_time.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::port::LogLevel;
using docklink::ports::format_iso8601_utc;
using docklink::ports::LogFormat;
using docklink::ports::parse_log_level;
using docklink::ports::PosixClock;
using docklink::ports::StreamLog;
using docklink::ports::StreamLogOptions;
using docklink::ports::utc_time_from_unix_ms;

namespace {

// 2024-05-01T12:04:56.789Z (checked with `date -u -d @1714565096`).
constexpr std::int64_t kFixedWallMs = 1714565096789;

class FixedWallClock : public docklink::port::Clock {
 public:
  std::int64_t monotonic_ms() const override { return 0; }
  std::int64_t wall_ms() const override { return kFixedWallMs; }
};

// Everything written to a temporary stream so far.
std::string read_back(std::FILE* stream) {
  std::fflush(stream);
  std::rewind(stream);
  std::string text;
  char buffer[4096];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, stream)) > 0;) text.append(buffer, got);
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1) {
    lines.push_back(text.substr(begin, end - begin));
  }
  return lines;
}

}  // namespace

TEST_GROUP(PosixClock){};

TEST(PosixClock, MonotonicNeverGoesBackwards) {
  PosixClock clock;
  std::int64_t previous = clock.monotonic_ms();
  for (int i = 0; i < 10000; ++i) {
    std::int64_t now = clock.monotonic_ms();
    CHECK_TRUE(now >= previous);
    previous = now;
  }
}

TEST(PosixClock, WallClockIsUnixMilliseconds) {
  PosixClock clock;
  const auto seconds = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t wall = clock.wall_ms();
  CHECK_TRUE(wall >= (seconds - 2) * 1000);
  CHECK_TRUE(wall <= (seconds + 2) * 1000);
}

TEST_GROUP(UtcTime){};

TEST(UtcTime, EpochAndKnownInstants) {
  STRCMP_EQUAL("1970-01-01T00:00:00.000Z", format_iso8601_utc(0).c_str());
  STRCMP_EQUAL("2024-05-01T12:04:56.789Z", format_iso8601_utc(kFixedWallMs).c_str());
  STRCMP_EQUAL("2000-02-29T00:00:00.000Z", format_iso8601_utc(951782400000).c_str());   // leap day of a 400-year
  STRCMP_EQUAL("2099-12-31T23:59:59.999Z", format_iso8601_utc(4102444799999).c_str());  // past 2038
}

TEST(UtcTime, BeforeEpochRoundsDown) {
  STRCMP_EQUAL("1969-12-31T23:59:59.999Z", format_iso8601_utc(-1).c_str());
  auto time = utc_time_from_unix_ms(-86400000);
  LONGS_EQUAL(1969, time.year);
  LONGS_EQUAL(12, time.month);
  LONGS_EQUAL(31, time.day);
  LONGS_EQUAL(0, time.hour);
}

TEST(UtcTime, EveryDayOfFourYearsMatchesGmtime) {
  // Cross-check against the C library for 2023-2026 (fits in a 32-bit time_t too).
  for (std::int64_t day = 19358; day < 19358 + 4 * 366; ++day) {
    const std::int64_t unix_ms = day * 86400000 + 45296000;  // 12:34:56
    const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm expected{};
    gmtime_r(&seconds, &expected);
    auto time = utc_time_from_unix_ms(unix_ms);
    LONGS_EQUAL(expected.tm_year + 1900, time.year);
    LONGS_EQUAL(expected.tm_mon + 1, time.month);
    LONGS_EQUAL(expected.tm_mday, time.day);
    LONGS_EQUAL(12, time.hour);
    LONGS_EQUAL(34, time.minute);
    LONGS_EQUAL(56, time.second);
  }
}

TEST_GROUP(StreamLog) {
  std::FILE* stream = nullptr;
  FixedWallClock clock;

  void setup() override { stream = std::tmpfile(); }
  void teardown() override { std::fclose(stream); }

  StreamLogOptions options(LogLevel min_level, LogFormat format) {
    StreamLogOptions result;
    result.min_level = min_level;
    result.format = format;
    result.stream = stream;
    result.clock = &clock;
    return result;
  }
};

TEST(StreamLog, TextLineHasTimeLevelComponentAndMessage) {
  StreamLog log(options(LogLevel::kInfo, LogFormat::kText));
  log.write(LogLevel::kWarn, "client", "connection lost: io");
  STRCMP_EQUAL("2024-05-01T12:04:56.789Z WARN  client: connection lost: io\n", read_back(stream).c_str());
}

TEST(StreamLog, TextEscapesControlCharactersSoOneMessageIsOneLine) {
  StreamLog log(options(LogLevel::kInfo, LogFormat::kText));
  log.write(LogLevel::kError, "paho", "line1\nFAKE ERROR line2\r\t\x01");
  STRCMP_EQUAL("2024-05-01T12:04:56.789Z ERROR paho: line1\\nFAKE ERROR line2\\r\\t\\x01\n", read_back(stream).c_str());
}

TEST(StreamLog, JsonLineIsEscaped) {
  StreamLog log(options(LogLevel::kTrace, LogFormat::kJsonLines));
  log.write(LogLevel::kDebug, "cli\"ent", "say \"hi\"\\ now\n\x01 caf\xC3\xA9 bad\xFF end\x7F");
  STRCMP_EQUAL(
      "{\"ts\":\"2024-05-01T12:04:56.789Z\",\"level\":\"debug\",\"component\":\"cli\\\"ent\","
      "\"msg\":\"say \\\"hi\\\"\\\\ now\\n\\u0001 caf\xC3\xA9 bad\\ufffd end\\u007f\"}\n",
      read_back(stream).c_str());
}

TEST(StreamLog, JsonReplacesMalformedUtf8) {
  StreamLog log(options(LogLevel::kTrace, LogFormat::kJsonLines));
  // Overlong '/', a UTF-16 surrogate, a truncated sequence and a valid 4-byte emoji.
  std::string line = log.format_line(0, LogLevel::kInfo, "c", "\xC0\xAF|\xED\xA0\x80|\xE2\x82|\xF0\x9F\x98\x80");
  STRCMP_EQUAL(
      "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"level\":\"info\",\"component\":\"c\",\"msg\":"
      "\"\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|\xF0\x9F\x98\x80\"}\n",
      line.c_str());
}

TEST(StreamLog, LevelsBelowTheMinimumAreSkipped) {
  StreamLog log(options(LogLevel::kWarn, LogFormat::kText));
  CHECK_FALSE(log.enabled(LogLevel::kInfo));
  CHECK_TRUE(log.enabled(LogLevel::kWarn));
  CHECK_TRUE(log.enabled(LogLevel::kError));
  CHECK_FALSE(log.enabled(LogLevel::kOff));
  log.write(LogLevel::kInfo, "client", "hidden");
  log.write(LogLevel::kError, "client", "shown");
  STRCMP_EQUAL("2024-05-01T12:04:56.789Z ERROR client: shown\n", read_back(stream).c_str());
}

TEST(StreamLog, OffSilencesEverythingAndLevelCanChange) {
  StreamLog log(options(LogLevel::kOff, LogFormat::kText));
  CHECK_FALSE(log.enabled(LogLevel::kError));
  log.write(LogLevel::kError, "client", "hidden");
  STRCMP_EQUAL("", read_back(stream).c_str());
  log.set_min_level(LogLevel::kTrace);
  CHECK_TRUE(log.enabled(LogLevel::kTrace));
}

TEST(StreamLog, ConcurrentWritersNeverInterleaveLines) {
  StreamLog log(options(LogLevel::kTrace, LogFormat::kJsonLines));
  constexpr int kThreads = 4;
  constexpr int kLinesEach = 250;
  const std::string long_message(300, 'x');
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&log, &long_message, t] {
      for (int i = 0; i < kLinesEach; ++i) log.write(LogLevel::kInfo, "t" + std::to_string(t), long_message);
    });
  }
  for (auto& writer : writers) writer.join();
  const auto lines = split_lines(read_back(stream));
  LONGS_EQUAL(kThreads * kLinesEach, lines.size());
  const std::string expected_tail = ",\"msg\":\"" + long_message + "\"}";
  for (const auto& line : lines) {
    CHECK_EQUAL(0u, line.find("{\"ts\":"));
    CHECK_TRUE(line.size() > expected_tail.size());
    STRCMP_EQUAL(expected_tail.c_str(), line.substr(line.size() - expected_tail.size()).c_str());
  }
}

TEST_GROUP(LogLevel){};

TEST(LogLevel, NamesRoundTrip) {
  for (LogLevel level :
       {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError, LogLevel::kOff}) {
    auto parsed = parse_log_level(docklink::port::to_string(level));
    CHECK_TRUE(parsed.is_ok());
    CHECK_TRUE(parsed.value() == level);
  }
  STRCMP_EQUAL("warn", docklink::port::to_string(LogLevel::kWarn));
}

TEST(LogLevel, ParseIsCaseInsensitiveAndKnowsWarning) {
  CHECK_TRUE(parse_log_level("DEBUG").value() == LogLevel::kDebug);
  CHECK_TRUE(parse_log_level("Warning").value() == LogLevel::kWarn);
}

TEST(LogLevel, ParseRejectsUnknownNames) {
  for (const char* name : {"", "verbose", "warn ", "inf"}) {
    auto parsed = parse_log_level(name);
    CHECK_FALSE(parsed.is_ok());
    CHECK_TRUE(parsed.status().code() == StatusCode::kInvalidArgument);
  }
}
