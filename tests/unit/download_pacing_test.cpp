// Progress reports (throttled, 64-bit, with a rate) and the bandwidth limit, on a manual clock.
#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::pattern_content;
using docklink::transfer::TransferProgress;

TEST_GROUP(DownloadPacing){};

TEST(DownloadPacing, ProgressIsThrottledToTheIntervalWithAFinalReport) {
  DownloadWorld world;
  std::string content = pattern_content(20'000);
  world.http.then_serve(FakeFile{content});
  world.http.on_piece([&](std::size_t) { world.clock.advance(100); });  // 1000 bytes per 100 ms
  std::vector<TransferProgress> reports;
  std::vector<std::int64_t> times;
  auto request = world.request_for(content);
  request.on_progress = [&](const TransferProgress& progress) {
    reports.push_back(progress);
    times.push_back(world.clock.monotonic_ms());
  };
  CHECK_TRUE(world.downloader().download(request).status.is_ok());
  // 20 pieces over 2 s: a report when 1 s has passed since the last one, so at most 2 plus the final one.
  CHECK(reports.size() >= 2 && reports.size() <= 3);
  for (std::size_t i = 1; i + 1 < times.size(); ++i) CHECK(times[i] - times[i - 1] >= 1000);
  LONGS_EQUAL(20'000, reports.back().bytes);
  LONGS_EQUAL(20'000, reports.back().total);
  // The first report comes with the piece that arrives 1 s after the start: the 11th (the first came at 0 ms).
  LONGS_EQUAL(11'000, reports.front().bytes);
  LONGS_EQUAL(11'000, reports.front().bytes_per_second);
  for (std::size_t i = 1; i < reports.size(); ++i) CHECK(reports[i].bytes >= reports[i - 1].bytes);
}

TEST(DownloadPacing, BandwidthLimitPacesTheBodyOnTheEnginesClock) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.max_bytes_per_second = 2000;
  std::int64_t start = world.clock.monotonic_ms();
  CHECK_TRUE(world.downloader().download(request).status.is_ok());
  // 10,000 bytes at 2,000 B/s take 5 s: each 1000-byte piece is held until its share of the limit has passed.
  LONGS_EQUAL(5000, world.clock.monotonic_ms() - start);
  LONGS_EQUAL(10, world.waiter.waits.size());
  for (auto wait : world.waiter.waits) LONGS_EQUAL(500, wait);
}

TEST(DownloadPacing, LimitCountsTimeTheNetworkAlreadyTook) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  world.http.then_serve(FakeFile{content});
  world.http.on_piece([&](std::size_t) { world.clock.advance(300); });  // the next piece takes 300 ms to arrive
  auto request = world.request_for(content);
  request.max_bytes_per_second = 2000;  // 500 ms per piece: the limit adds only the missing 200 ms
  std::int64_t start = world.clock.monotonic_ms();
  CHECK_TRUE(world.downloader().download(request).status.is_ok());
  LONGS_EQUAL(500, world.waiter.waits.front());  // the first piece came at once
  for (std::size_t i = 1; i < world.waiter.waits.size(); ++i) LONGS_EQUAL(200, world.waiter.waits[i]);
  LONGS_EQUAL(5300, world.clock.monotonic_ms() - start);  // the limit's 5 s, plus the last piece's 300 ms after it
}

TEST(DownloadPacing, NoLimitNoWait) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  world.http.then_serve(FakeFile{content});
  CHECK_TRUE(world.downloader().download(world.request_for(content)).status.is_ok());
  LONGS_EQUAL(0, world.waiter.waits.size());
}
