// Which payload hash a signed upload sends: UNSIGNED-PAYLOAD over https (nothing of the file is hashed), each
// body's SHA-256 over http (each part hashed once, ahead of its send, also when a part is retried), and the
// range hasher the engine uses for it.
#include <atomic>
#include <memory>

#include "counting_hashing.hpp"
#include "docklink/ports/crypto.hpp"
#include "transfer/upload_payload_hash.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::test;

namespace {

// Signing hashes a canonical request per request and the Complete XML: a few KiB at most, never a part.
constexpr std::uint64_t kSigningBytes = 64u * 1024u;

// Three parts (5 MiB, 5 MiB, 1000 bytes) with part 2 refused once with a 500 and sent again.
void script_three_parts_with_a_retry(UploadWorld& world) {
  world.options.max_retries = 2;
  world.http.then(s3_created("UP-1"));
  world.http.then(s3_part_stored(1));
  world.http.then(s3_error(500, "InternalError"));
  world.http.then(s3_part_stored(2));
  world.http.then(s3_part_stored(3));
  world.http.then(s3_completed());
}

// Each part request carries `expected(body)` as its payload hash; returns the part requests seen.
template <typename Expected>
int check_part_hashes(UploadWorld& world, Expected expected) {
  auto sent = world.http.requests();
  auto bodies = world.http.bodies();
  int parts = 0;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (sent[i].url.find("partNumber=") == std::string::npos) continue;
    ++parts;
    STRCMP_EQUAL(expected(bodies[i]).c_str(), request_header(sent[i], "x-amz-content-sha256").value_or("").c_str());
  }
  return parts;
}

std::string unsigned_payload(const std::string&) { return std::string(docklink::transfer::kUnsignedPayload); }

}  // namespace

TEST_GROUP(UploadPayload){};

TEST(UploadPayload, OverHttpsPartsGoAsUnsignedPayloadAndNoPartIsHashed) {
  UploadWorld world;
  CountingHashing hashing;
  auto request = world.request_for(10 * kMiB + 1000);  // https://s3.example.com
  script_three_parts_with_a_retry(world);
  auto ports = world.ports();
  ports.hashing = &hashing;
  auto result = docklink::transfer::Uploader(ports, world.options).upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(4, check_part_hashes(world, unsigned_payload));
  CHECK(hashing.bytes() < kSigningBytes);
}

TEST(UploadPayload, OverHttpsASinglePutGoesAsUnsignedPayload) {
  UploadWorld world;
  CountingHashing hashing;
  auto request = world.request_for(1000);
  world.http.then(s3_ok({{"ETag", "\"abc\""}}));
  auto ports = world.ports();
  ports.hashing = &hashing;
  auto result = docklink::transfer::Uploader(ports, world.options).upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  STRCMP_EQUAL("UNSIGNED-PAYLOAD",
               request_header(world.http.requests()[0], "x-amz-content-sha256").value_or("").c_str());
  CHECK(world.http.bodies()[0] == world.content);
}

TEST(UploadPayload, OverHttpEachPartsHashIsSignedAndEachPartIsHashedOnceEvenWhenRetried) {
  for (bool own_thread : {true, false}) {
    UploadWorld world;
    CountingHashing hashing;
    auto request = world.request_for(10 * kMiB + 1000);
    request.destination.endpoint = "http://s3.example.com";
    world.options.hash_on_own_thread = own_thread;
    script_three_parts_with_a_retry(world);
    auto ports = world.ports();
    ports.hashing = &hashing;
    auto result = docklink::transfer::Uploader(ports, world.options).upload(request);
    CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
    LONGS_EQUAL(4, check_part_hashes(world, [](const std::string& body) { return docklink::ports::sha256_hex(body); }));
    CHECK(hashing.bytes() >= world.content.size());
    CHECK(hashing.bytes() < world.content.size() + kSigningBytes);  // a second hash of any part would exceed it
  }
}

TEST(UploadPayload, SignedPayloadOverHttpsWhenUnsignedIsTurnedOff) {
  UploadWorld world;
  auto request = world.request_for(10 * kMiB + 1000);
  world.options.unsigned_payload_over_tls = false;
  script_three_parts_with_a_retry(world);
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(4, check_part_hashes(world, [](const std::string& body) { return docklink::ports::sha256_hex(body); }));
}

TEST_GROUP(PayloadHashAhead){};

TEST(PayloadHashAhead, TakesTheRangeStartedAheadOrHashesAnotherInLine) {
  UploadWorld world;
  world.request_for(3 * kMiB + 17);
  const std::string& content = world.content;
  docklink::transfer::detail::PayloadHashAhead hashes(world.source(), world.hashing, 4096, true);
  hashes.start(kMiB, kMiB);
  auto ahead = hashes.take(kMiB, kMiB);
  CHECK(ahead.is_ok());
  STRCMP_EQUAL(docklink::ports::sha256_hex(content.substr(kMiB, kMiB)).c_str(), ahead.value().c_str());
  hashes.start(2 * kMiB, kMiB + 17);
  auto other = hashes.take(0, 10);  // not the range started: dropped, this one hashed now
  CHECK(other.is_ok());
  STRCMP_EQUAL(docklink::ports::sha256_hex(content.substr(0, 10)).c_str(), other.value().c_str());
  auto empty = hashes.take(5, 0);
  CHECK(empty.is_ok());
  STRCMP_EQUAL(docklink::ports::sha256_hex("").c_str(), empty.value().c_str());
}

TEST(PayloadHashAhead, RangeBeyondTheFilesEndIsAFileError) {
  UploadWorld world;
  world.request_for(1000);
  for (bool own_thread : {true, false}) {
    docklink::transfer::detail::PayloadHashAhead hashes(world.source(), world.hashing, 4096, own_thread);
    hashes.start(500, 1000);
    auto hash = hashes.take(500, 1000);
    CHECK_FALSE(hash.is_ok());
    CHECK(hash.status().code() == docklink::StatusCode::kIo);
    CHECK(hash.status().message().find("shorter") != std::string::npos);
  }
  docklink::transfer::detail::PayloadHashAhead missing(world.source() + ".gone", world.hashing, 4096, true);
  missing.start(0, 10);
  CHECK(missing.take(0, 10).status().code() == docklink::StatusCode::kIo);
}
