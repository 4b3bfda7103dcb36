// Log conformance checks.
#include "log_conformance.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace docklink::conformance {

namespace {

using port::LogLevel;

constexpr LogLevel kLineLevels[] = {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                                    LogLevel::kError};
constexpr LogLevel kAllLevels[] = {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo,
                                   LogLevel::kWarn,  LogLevel::kError, LogLevel::kOff};

// write() inside a try block: a log that throws fails the test instead of ending it.
void write_quietly(port::Log& log, LogLevel level, std::string_view component, std::string_view message) {
  bool threw = false;
  try {
    log.write(level, component, message);
  } catch (...) {
    threw = true;
  }
  CHECK_FALSE_TEXT(threw, "write() threw");
}

// The most verbose level the log lets through: the one the line checks write at.
LogLevel enabled_level(LogHarness& harness) {
  static_cast<void>(harness.set_min_level(LogLevel::kTrace));
  for (LogLevel level : kLineLevels) {
    if (harness.log().enabled(level)) return level;
  }
  FAIL("the log lets no level through");
  return LogLevel::kOff;
}

bool contains(const std::string& line, const std::string& part) { return line.find(part) != std::string::npos; }

}  // namespace

void log_writes_one_line_per_message(LogHarness& harness) {
  const LogLevel level = enabled_level(harness);
  write_quietly(harness.log(), level, "client", "first message 4711");
  write_quietly(harness.log(), LogLevel::kError, "paho", "second message 4712");
  const std::vector<std::string> lines = harness.lines();
  LONGS_EQUAL(2, lines.size());
  CHECK_TRUE_TEXT(contains(lines[0], "client") && contains(lines[0], "first message 4711"), lines[0].c_str());
  CHECK_TRUE_TEXT(contains(lines[1], "paho") && contains(lines[1], "second message 4712"), lines[1].c_str());
}

void log_hostile_messages_stay_one_line(LogHarness& harness) {
  const LogLevel level = enabled_level(harness);
  const std::string messages[] = {
      "a\nforged 2024-01-01T00:00:00.000Z ERROR client: line",
      "carriage\r\nreturn",
      std::string("nul\0byte", 8),
      "\x1b[31mred\x1b[0m and a bell \x07",
      "bad utf-8 \xff\xfe\xc0\xaf and a lone \xe2\x82",
      "",
      std::string(64 * 1024, 'x'),
      "quotes \" and \\ backslashes {\"json\":true}",
  };
  for (const std::string& message : messages) write_quietly(harness.log(), level, "client", message);
  write_quietly(harness.log(), level, "", "empty component");
  write_quietly(harness.log(), level, "comp\nonent", "component with a line break");
  const std::size_t written = sizeof messages / sizeof messages[0] + 2;
  LONGS_EQUAL(written, harness.lines().size());
}

void log_enabled_is_ordered_by_severity(LogHarness& harness) {
  port::Log& log = harness.log();
  CHECK_FALSE(log.enabled(LogLevel::kOff));
  bool seen_enabled = false;
  for (LogLevel level : kLineLevels) {
    if (seen_enabled) CHECK_TRUE_TEXT(log.enabled(level), port::to_string(level));
    seen_enabled = seen_enabled || log.enabled(level);
  }
}

void log_min_level_is_honoured(LogHarness& harness) {
  if (!harness.set_min_level(LogLevel::kTrace)) return;  // a fixed level: nothing to set
  std::size_t expected_lines = 0;
  for (LogLevel min_level : kAllLevels) {
    CHECK_TRUE(harness.set_min_level(min_level));
    for (LogLevel level : kLineLevels) {
      const bool wanted = min_level != LogLevel::kOff && level >= min_level;
      const std::string what = std::string(port::to_string(level)) + " at minimum " + port::to_string(min_level);
      CHECK_EQUAL_TEXT(wanted, harness.log().enabled(level), what.c_str());
      write_quietly(harness.log(), level, "client", what);
      if (wanted) ++expected_lines;
    }
    write_quietly(harness.log(), LogLevel::kOff, "client", "a line at kOff is never written");
  }
  LONGS_EQUAL(expected_lines, harness.lines().size());
}

void log_concurrent_lines_never_interleave(LogHarness& harness) {
  const LogLevel level = enabled_level(harness);
  constexpr int kThreads = 4;
  constexpr int kLinesEach = 200;
  const std::string padding(300, '.');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLinesEach; ++i) {
        harness.log().write(level, "client", "<" + std::to_string(t * kLinesEach + i) + padding + ">");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::vector<std::string> lines = harness.lines();
  LONGS_EQUAL(kThreads * kLinesEach, lines.size());
  std::vector<int> seen(kThreads * kLinesEach, 0);
  for (const std::string& line : lines) {
    // Whole: one message per line, and that message complete.
    const std::size_t open = line.find('<');
    CHECK_TRUE_TEXT(open != std::string::npos && line.find('<', open + 1) == std::string::npos,
                    line.substr(0, 120).c_str());
    const int number = std::stoi(line.substr(open + 1));
    CHECK_TRUE_TEXT(number >= 0 && number < kThreads * kLinesEach, line.substr(0, 120).c_str());
    CHECK_TRUE_TEXT(contains(line, "<" + std::to_string(number) + padding + ">"), line.substr(0, 120).c_str());
    ++seen[static_cast<std::size_t>(number)];
  }
  CHECK_TRUE(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
}

}  // namespace docklink::conformance
