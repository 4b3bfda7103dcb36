// Clock conformance checks.
#include "clock_conformance.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace docklink::conformance {

namespace {

// 2020-01-01T00:00:00Z and 2100-01-01T00:00:00Z in Unix milliseconds: a set clock lies between them; seconds
// or microseconds since 1970 do not.
constexpr std::int64_t kYear2020Ms = 1'577'836'800'000;
constexpr std::int64_t kYear2100Ms = 4'102'444'800'000;

// Reads monotonic_ms() until told to stop; counts readings that went backwards.
void read_until_stopped(const port::Clock& clock, const std::atomic<bool>& stop, std::atomic<int>& backwards,
                        std::atomic<long>& readings, std::atomic<int>& started) {
  std::int64_t last = clock.monotonic_ms();
  ++started;
  long count = 1;  // the first reading
  while (!stop.load()) {
    const std::int64_t now = clock.monotonic_ms();
    if (now < last) ++backwards;
    last = now;
    ++count;
  }
  readings += count;
}

}  // namespace

void clock_monotonic_never_goes_back(ClockDriver& driver) {
  std::atomic<bool> stop{false};
  std::atomic<int> backwards{0};
  std::atomic<long> readings{0};
  std::atomic<int> started{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] { read_until_stopped(driver.clock(), stop, backwards, readings, started); });
  }
  while (started.load() < 4) std::this_thread::yield();  // time passes while every reader reads
  const std::int64_t first = driver.clock().monotonic_ms();
  for (int step = 0; step < 20; ++step) driver.let_pass(1);
  const std::int64_t last = driver.clock().monotonic_ms();
  stop = true;
  for (auto& reader : readers) reader.join();
  LONGS_EQUAL(0, backwards.load());
  CHECK_TRUE(readings.load() >= 4);
  CHECK_TRUE_TEXT(last > first, "20 ms passed but monotonic_ms() did not move");
}

void clock_monotonic_advances_in_milliseconds(ClockDriver& driver) {
  constexpr std::int64_t kPass = 50;
  const std::int64_t before_first = driver.reference_ms();
  const std::int64_t first = driver.clock().monotonic_ms();
  const std::int64_t after_first = driver.reference_ms();
  driver.let_pass(kPass);
  const std::int64_t before_second = driver.reference_ms();
  const std::int64_t second = driver.clock().monotonic_ms();
  const std::int64_t after_second = driver.reference_ms();
  // The clock read between the brackets, so its advance lies between the inner and the outer reference span.
  const std::int64_t slack = driver.granularity_ms() + 1;  // both readings may be truncated to a tick
  const std::int64_t advance = second - first;
  const std::string detail = "advanced " + std::to_string(advance) + " ms while the reference moved " +
                             std::to_string(before_second - after_first) + ".." +
                             std::to_string(after_second - before_first) + " ms";
  CHECK_TRUE_TEXT(before_second - after_first >= kPass, "let_pass() let less time pass than asked");
  CHECK_TRUE_TEXT(advance >= before_second - after_first - slack, detail.c_str());
  CHECK_TRUE_TEXT(advance <= after_second - before_first + slack, detail.c_str());
}

void clock_wall_is_unix_milliseconds(ClockDriver& driver) {
  const std::int64_t wall = driver.clock().wall_ms();
  const std::string text = "wall_ms() = " + std::to_string(wall);
  CHECK_TRUE_TEXT(wall >= kYear2020Ms, text.c_str());
  CHECK_TRUE_TEXT(wall < kYear2100Ms, text.c_str());
}

void clock_wall_moves_forward(ClockDriver& driver) {
  const std::int64_t first = driver.clock().wall_ms();
  driver.let_pass(50);
  const std::int64_t second = driver.clock().wall_ms();
  // Not its exact rate: a real wall clock may be slewed or stepped by time sync, which the contract allows.
  CHECK_TRUE_TEXT(second > first, ("wall_ms() " + std::to_string(first) + " then " + std::to_string(second)).c_str());
}

}  // namespace docklink::conformance
