// The log conformance suite: what port::Log (docklink/port/log.hpp) promises, written once and run against every
// log port. The SDK logs from every thread, the transport thread included, and passes text from the network
// (topics, cloud messages) in messages: a log must take any bytes, keep each message one line, never throw and
// never interleave lines. A port proves itself with one file:
//
//   class MyLogHarness : public docklink::conformance::LogHarness { ... };  // the log and the lines it wrote
//   TEST_GROUP(MyLogConformance) { MyLogHarness harness; };
//   DOCKLINK_LOG_CONFORMANCE_TESTS(MyLogConformance, harness)
//
// (see stream_log_conformance_test.cpp).
#pragma once

#include <string>
#include <vector>

#include "docklink/port/log.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// The log under test and a way to read back what it wrote.
class LogHarness {
 public:
  virtual ~LogHarness() = default;
  /// The log under test, fresh for each test (nothing written yet).
  virtual port::Log& log() = 0;
  /// Every line the log has written so far, in order, without line ends.
  virtual std::vector<std::string> lines() = 0;
  /// Makes `level` the lowest level the log lets through and returns true; false when the port has no such
  /// setting (a fixed level), and the level checks then only check that enabled() is consistent.
  virtual bool set_min_level(port::LogLevel level) {
    static_cast<void>(level);
    return false;
  }
};

/// One write() of an enabled level gives one line holding the component and the message.
void log_writes_one_line_per_message(LogHarness& harness);
/// Messages holding line breaks, NULs, escape sequences, invalid UTF-8, nothing or 64 KiB each stay one line,
/// and write() never throws.
void log_hostile_messages_stay_one_line(LogHarness& harness);
/// enabled() is false for kOff and, when it is true for a level, true for every more severe level.
void log_enabled_is_ordered_by_severity(LogHarness& harness);
/// With the minimum level set to each level in turn, enabled() and write() let exactly the levels at or above
/// it through (none for kOff).
void log_min_level_is_honoured(LogHarness& harness);
/// Four threads writing at once: every line arrives once and whole.
void log_concurrent_lines_never_interleave(LogHarness& harness);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per log conformance check in `group`, each on `harness` (a LogHarness).
#define DOCKLINK_LOG_CONFORMANCE_TESTS(group, harness)                                                            \
  TEST(group, WritesOneLinePerMessage) { docklink::conformance::log_writes_one_line_per_message(harness); }       \
  TEST(group, HostileMessagesStayOneLine) { docklink::conformance::log_hostile_messages_stay_one_line(harness); } \
  TEST(group, EnabledIsOrderedBySeverity) { docklink::conformance::log_enabled_is_ordered_by_severity(harness); } \
  TEST(group, MinLevelIsHonoured) { docklink::conformance::log_min_level_is_honoured(harness); }                  \
  TEST(group, ConcurrentLinesNeverInterleave) { docklink::conformance::log_concurrent_lines_never_interleave(harness); }
