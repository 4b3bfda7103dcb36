// The uplink pacer: never more than burst + rate messages in any second, answers never held, telemetry held per
// key with the newest report kept, released as tokens come back. Times are given, so every check is exact.
#include <string>

#include "uplink_pacer.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::Uplink;
using docklink::detail::UplinkPacer;
using docklink::detail::UplinkRate;

namespace {

Uplink report(const std::string& key, const std::string& payload) {
  Uplink uplink;
  uplink.coalesce_key = key;
  uplink.payload = payload;
  return uplink;
}

}  // namespace

TEST_GROUP(UplinkPacer){};

TEST(UplinkPacer, UnlimitedLetsEverythingThrough) {
  UplinkPacer pacer(UplinkRate{});
  CHECK_FALSE(pacer.limited());
  for (int i = 0; i < 1000; ++i) CHECK_TRUE(pacer.take(0));
}

TEST(UplinkPacer, NoSecondEverSeesMoreThanBurstPlusRate) {
  UplinkPacer pacer(UplinkRate{40, 10});
  // Telemetry offered every millisecond for 5 s: count what goes out in every 1000 ms window.
  std::vector<std::int64_t> sent;
  for (std::int64_t now = 0; now < 5000; ++now) {
    if (pacer.take(now)) sent.push_back(now);
  }
  for (std::size_t first = 0; first < sent.size(); ++first) {
    std::size_t in_window = 0;
    for (std::size_t i = first; i < sent.size() && sent[i] < sent[first] + 1000; ++i) ++in_window;
    CHECK_TRUE(in_window <= 50);
  }
  CHECK_TRUE(sent.size() >= 10 + 4 * 40);  // and the rate is used, not just respected
}

TEST(UplinkPacer, HeldReportsCoalesceByKeyAndLeaveOldestKeyFirstAsTokensReturn) {
  UplinkPacer pacer(UplinkRate{10, 1});
  CHECK_TRUE(pacer.take(0));  // the one token
  CHECK_FALSE(pacer.take(0));
  CHECK_FALSE(pacer.hold(report("osd/DOCK", "1")));
  CHECK_FALSE(pacer.hold(report("osd/UAV", "a")));
  CHECK_TRUE(pacer.hold(report("osd/DOCK", "2")));  // replaces "1"
  LONGS_EQUAL(2, pacer.held());
  CHECK_FALSE(pacer.take(1000));  // held reports go first, even with a token there
  LONGS_EQUAL(1000, pacer.next_token_ms(1000));
  auto first = pacer.release(1000);
  LONGS_EQUAL(1, first.size());  // a burst of 1
  STRCMP_EQUAL("2", first[0].payload.c_str());
  LONGS_EQUAL(1100, pacer.next_token_ms(1000));  // 10/s: the next in 100 ms
  CHECK_TRUE(pacer.release(1099).empty());
  auto second = pacer.release(1100);
  LONGS_EQUAL(1, second.size());
  STRCMP_EQUAL("a", second[0].payload.c_str());
  LONGS_EQUAL(0, pacer.held());
}

TEST(UplinkPacer, AnswersAlwaysGoAndTheTelemetryWaitsOutTheirDebt) {
  UplinkPacer pacer(UplinkRate{10, 2});
  for (int i = 0; i < 5; ++i) pacer.spend(0);  // five answers at once: 3 over the burst
  CHECK_FALSE(pacer.take(0));
  CHECK_FALSE(pacer.take(399));  // 3 tokens owed and one to take: 400 ms at 10/s
  CHECK_TRUE(pacer.take(400));
}
