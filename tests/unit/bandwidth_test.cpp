// The process-wide bandwidth limit (token bucket on the port clock) and a transfer's pacer, on a manual clock.
#include <functional>

#include "docklink/transfer/bandwidth.hpp"
#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::ManualClock;
using docklink::test::ManualWaiter;
using docklink::test::pattern_content;
using docklink::transfer::BandwidthLimiter;
using docklink::transfer::TransferControl;
using docklink::transfer::TransferPacer;

namespace {

// Moves the manual clock like ManualWaiter, and runs a hook before each wait (a test changes the limit there, as
// another thread would while a transfer waits).
class HookedWaiter : public docklink::transfer::TransferWaiter {
 public:
  explicit HookedWaiter(ManualClock& clock) : clock_(clock) {}
  void wait(std::int64_t ms, TransferControl&) override {
    if (hook) hook(waits.size());
    waits.push_back(ms);
    clock_.advance(ms);
  }
  std::function<void(std::size_t)> hook;
  std::vector<std::int64_t> waits;

 private:
  ManualClock& clock_;
};

}  // namespace

TEST_GROUP(Bandwidth){};

TEST(Bandwidth, NoLimitNeverWaits) {
  ManualClock clock;
  BandwidthLimiter limiter(clock);
  limiter.take(1'000'000);
  LONGS_EQUAL(0, limiter.delay_ms());
  LONGS_EQUAL(0, limiter.limit());
}

TEST(Bandwidth, DebtIsPaidAtTheLimit) {
  ManualClock clock;
  BandwidthLimiter limiter(clock, 2000);
  limiter.take(1000);
  LONGS_EQUAL(500, limiter.delay_ms());
  clock.advance(300);
  LONGS_EQUAL(200, limiter.delay_ms());
  clock.advance(200);
  LONGS_EQUAL(0, limiter.delay_ms());
}

TEST(Bandwidth, DelayIsRoundedUp) {
  ManualClock clock;
  BandwidthLimiter limiter(clock, 3000);
  limiter.take(1000);  // 333.3 ms
  LONGS_EQUAL(334, limiter.delay_ms());
}

TEST(Bandwidth, QuietTimeSavesOnlyTheBurst) {
  ManualClock clock;
  BandwidthLimiter limiter(clock, 1000);
  clock.advance(60'000);
  limiter.take(2000);
  // A minute of quiet saved 50 ms worth (50 bytes), not 60,000 bytes.
  LONGS_EQUAL(2000 - docklink::defaults::kBandwidthBurstMs, limiter.delay_ms());
}

TEST(Bandwidth, ChangedLimitAppliesToTheDebtAlreadyTaken) {
  ManualClock clock;
  BandwidthLimiter limiter(clock, 1000);
  limiter.take(4000);
  LONGS_EQUAL(4000, limiter.delay_ms());
  limiter.set_limit(4000);
  LONGS_EQUAL(1000, limiter.delay_ms());
  limiter.set_limit(0);
  LONGS_EQUAL(0, limiter.delay_ms());
  limiter.set_limit(1000);  // from no limit: an empty bucket, no debt and no saved burst
  LONGS_EQUAL(0, limiter.delay_ms());
  limiter.take(500);
  LONGS_EQUAL(500, limiter.delay_ms());
}

TEST(Bandwidth, TransfersSharingTheLimitTogetherMoveAtIt) {
  ManualClock clock;
  ManualWaiter waiter(clock);
  BandwidthLimiter limiter(clock, 2000);
  TransferControl control;
  TransferPacer first(clock, waiter, 0, &limiter);
  TransferPacer second(clock, waiter, 0, &limiter);
  std::int64_t start = clock.monotonic_ms();
  for (int piece = 0; piece < 10; ++piece) {
    first.moved(1000, control);
    second.moved(1000, control);
  }
  // 20,000 bytes at 2,000 B/s in all: 10 s (each piece's share is waited for right after it moved).
  LONGS_EQUAL(10'000, clock.monotonic_ms() - start);
  for (auto wait : waiter.waits) CHECK(wait <= docklink::defaults::kBandwidthWaitSliceMs);
}

TEST(Bandwidth, StricterOfOwnAndSharedLimitWins) {
  ManualClock clock;
  ManualWaiter waiter(clock);
  TransferControl control;
  BandwidthLimiter limiter(clock, 2000);
  TransferPacer shared_stricter(clock, waiter, 4000, &limiter);
  std::int64_t start = clock.monotonic_ms();
  for (int piece = 0; piece < 10; ++piece) shared_stricter.moved(1000, control);
  LONGS_EQUAL(5000, clock.monotonic_ms() - start);  // 10,000 bytes at the shared 2,000 B/s

  limiter.set_limit(8000);
  TransferPacer own_stricter(clock, waiter, 1000, &limiter);
  start = clock.monotonic_ms();
  for (int piece = 0; piece < 10; ++piece) own_stricter.moved(1000, control);
  LONGS_EQUAL(10'000, clock.monotonic_ms() - start);  // at its own 1,000 B/s
}

TEST(Bandwidth, RaisedLimitReachesATransferAlreadyWaiting) {
  ManualClock clock;
  HookedWaiter waiter(clock);
  TransferControl control;
  BandwidthLimiter limiter(clock, 100);
  TransferPacer pacer(clock, waiter, 0, &limiter);
  waiter.hook = [&](std::size_t wait_index) {
    if (wait_index == 1) limiter.set_limit(100'000);  // the dock landed: full speed again
  };
  std::int64_t start = clock.monotonic_ms();
  pacer.moved(10'000, control);  // 100 s at the old limit
  // One slice at the old limit, then the 10,000 bytes are paid at once at the new one (minus what accrued).
  CHECK(clock.monotonic_ms() - start <= 2 * docklink::defaults::kBandwidthWaitSliceMs + 100);
}

TEST(Bandwidth, StopEndsTheWait) {
  ManualClock clock;
  HookedWaiter waiter(clock);
  TransferControl control;
  BandwidthLimiter limiter(clock, 100);
  TransferPacer pacer(clock, waiter, 0, &limiter);
  waiter.hook = [&](std::size_t) { control.pause(); };
  pacer.moved(10'000, control);
  LONGS_EQUAL(1, waiter.waits.size());
}

TEST(Bandwidth, DownloaderHonoursTheSharedLimit) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  world.http.then_serve(FakeFile{content});
  BandwidthLimiter limiter(world.clock, 2000);
  world.options.bandwidth = &limiter;
  std::int64_t start = world.clock.monotonic_ms();
  CHECK_TRUE(world.downloader().download(world.request_for(content)).status.is_ok());
  LONGS_EQUAL(5000, world.clock.monotonic_ms() - start);  // 10,000 bytes at 2,000 B/s
}

TEST(Bandwidth, OwnAverageRunsFromTheFirstByteNotFromTheRestart) {
  ManualClock clock;
  ManualWaiter waiter(clock);
  TransferControl control;
  TransferPacer pacer(clock, waiter, 2000, nullptr);
  pacer.restart();      // the request begins
  clock.advance(1000);  // connecting: no byte could move yet
  std::int64_t first_byte = clock.monotonic_ms();
  pacer.moved(2000, control);                            // a whole small file in one piece
  LONGS_EQUAL(1000, clock.monotonic_ms() - first_byte);  // 2,000 bytes at 2,000 B/s, counted from the first
}

TEST(Bandwidth, NextPieceIsWhatTheStricterLimitAllowsInOneWaitSlice) {
  ManualClock clock;
  ManualWaiter waiter(clock);
  const std::int64_t slice = docklink::defaults::kBandwidthWaitSliceMs;
  TransferPacer unlimited(clock, waiter, 0, nullptr);
  LONGS_EQUAL(65536, unlimited.next_piece(65536));
  TransferPacer own(clock, waiter, 10'000, nullptr);
  LONGS_EQUAL(10'000 * slice / 1000, own.next_piece(65536));
  LONGS_EQUAL(7, own.next_piece(7));  // never more than offered
  BandwidthLimiter limiter(clock, 1000);
  TransferPacer shared_stricter(clock, waiter, 10'000, &limiter);
  LONGS_EQUAL(1000 * slice / 1000, shared_stricter.next_piece(65536));
  limiter.set_limit(1);  // a byte per second: still a byte at a time, never nothing
  LONGS_EQUAL(1, shared_stricter.next_piece(65536));
  limiter.set_limit(0);
  LONGS_EQUAL(10'000 * slice / 1000, shared_stricter.next_piece(65536));
}
