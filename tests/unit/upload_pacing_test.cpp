// The bandwidth limit on an upload's body, on a manual clock: a small file is paced from its first byte (the
// connection's setup is no credit), and a paced body goes out a little at a time, never a long silence.
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::test::s3_ok;
using docklink::test::UploadWorld;

TEST_GROUP(UploadPacing){};

TEST(UploadPacing, SmallFileIsPacedFromItsFirstByteNotFromTheConnect) {
  UploadWorld world;
  world.http.then(s3_ok());
  world.http.on_connect([&] { world.clock.advance(1000); });  // TCP + TLS over a slow link
  auto request = world.request_for(2000);
  request.max_bytes_per_second = 2000;
  std::int64_t start = world.clock.monotonic_ms();
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  // 2,000 bytes at 2,000 B/s take 1 s from the first byte; the second spent connecting does not count.
  std::int64_t waited = 0;
  for (auto wait : world.waiter.waits) waited += wait;
  LONGS_EQUAL(1000, waited);
  LONGS_EQUAL(2000, world.clock.monotonic_ms() - start);
}

TEST(UploadPacing, PacedBodyGoesOutALittleAtATime) {
  UploadWorld world;
  world.http.then(s3_ok());
  auto request = world.request_for(10'000);
  request.max_bytes_per_second = 1000;
  std::int64_t start = world.clock.monotonic_ms();
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  CHECK(world.http.bodies()[0] == world.content);
  LONGS_EQUAL(10'000, world.clock.monotonic_ms() - start);
  // Each read is what the limit allows in one wait slice (1,000 B/s: 200 bytes), so no wait is longer than that.
  const std::int64_t slice = docklink::defaults::kBandwidthWaitSliceMs;
  for (auto size : world.http.read_sizes()) CHECK(size <= 1000 * slice / 1000);
  for (auto wait : world.waiter.waits) CHECK(wait <= slice);
}

TEST(UploadPacing, ProcessWideLimitAlsoBoundsTheReads) {
  UploadWorld world;
  docklink::transfer::BandwidthLimiter limiter(world.clock, 500);
  world.options.bandwidth = &limiter;
  world.http.then(s3_ok());
  auto result = world.uploader().upload(world.request_for(3000));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  for (auto size : world.http.read_sizes()) CHECK(size <= 100);  // 500 B/s for 200 ms
}

TEST(UploadPacing, UnlimitedReadsTakeTheClientsWholeBuffer) {
  UploadWorld world;
  world.http.then(s3_ok());
  auto result = world.uploader().upload(world.request_for(10'000));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(4096, world.http.read_sizes().front());  // the fake client's buffer
  LONGS_EQUAL(0, world.waiter.waits.size());
}
