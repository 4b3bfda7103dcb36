// Progress reports (throttled, 64-bit, with a rate) and the bandwidth limit, on a manual clock.
#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::pattern_content;
using docklink::test::read_file;
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

namespace {

std::vector<std::string> ranges_asked(const docklink::test::FakeHttpClient& http) {
  std::vector<std::string> ranges;
  for (const auto& request : http.requests()) {
    auto range = docklink::test::request_header(request, "Range");
    ranges.push_back(range ? *range : std::string("(none)"));
  }
  return ranges;
}

}  // namespace

// A server drops a client that leaves its writes waiting (nginx send_timeout): a paced download asks for what the
// limit allows in kDownloadPacedRangeMs per request, the last one for the rest, and the limit still sets the pace.
TEST(DownloadPacing, LimitedDownloadAsksForRangesOfTheLimitsWorth) {
  DownloadWorld world;
  std::string content = pattern_content(100'000);
  world.http.then_serve(FakeFile{content}, 5);
  auto request = world.request_for(content);
  request.max_bytes_per_second = 2000;  // 20,000 bytes in 10 s
  std::int64_t start = world.clock.monotonic_ms();
  auto result = world.downloader().download(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  CHECK(read_file(request.destination) == content);
  std::vector<std::string> expected{"bytes=0-19999", "bytes=20000-39999", "bytes=40000-59999", "bytes=60000-79999",
                                    "bytes=80000-"};
  CHECK(ranges_asked(world.http) == expected);
  LONGS_EQUAL(5, result.attempts);
  LONGS_EQUAL(0, result.retries);
  LONGS_EQUAL(100'000, result.fetched);
  LONGS_EQUAL(50'000, world.clock.monotonic_ms() - start);
}

TEST(DownloadPacing, RangesAreNeverSmallerThanOneTlsRecord) {
  DownloadWorld world;
  std::string content = pattern_content(40'000);
  world.http.then_serve(FakeFile{content}, 3);
  auto request = world.request_for(content);
  request.max_bytes_per_second = 100;  // 1,000 bytes in 10 s: the floor, 16 KiB, instead
  auto result = world.downloader().download(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  std::vector<std::string> expected{"bytes=0-16383", "bytes=16384-32767", "bytes=32768-"};
  CHECK(ranges_asked(world.http) == expected);
}

TEST(DownloadPacing, ServerIgnoringRangeSendsTheWholeFileInOneResponse) {
  DownloadWorld world;
  std::string content = pattern_content(100'000);
  FakeFile file{content};
  file.honour_range = false;
  world.http.then_serve(file);
  auto request = world.request_for(content);
  request.max_bytes_per_second = 2000;
  auto result = world.downloader().download(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(200, result.http_status);
  LONGS_EQUAL(1, result.attempts);
  LONGS_EQUAL(100'000, result.fetched);
}

TEST(DownloadPacing, RangedRequestsCanBeTurnedOff) {
  DownloadWorld world;
  std::string content = pattern_content(100'000);
  world.http.then_serve(FakeFile{content});
  world.options.paced_range_ms = 0;
  auto request = world.request_for(content);
  request.max_bytes_per_second = 2000;
  auto result = world.downloader().download(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(1, result.attempts);
  CHECK(ranges_asked(world.http) == std::vector<std::string>{"(none)"});
}
