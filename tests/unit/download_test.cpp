// The download engine on a scripted server: a whole download verified, every check that must refuse a file, and
// the request it sends.
#include <filesystem>

#include "counting_hashing.hpp"
#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::FakeResponse;
using docklink::test::pattern_content;
using docklink::test::read_file;
using docklink::test::request_header;
using docklink::transfer::TransferError;

TEST_GROUP(Download){};

TEST(Download, WholeFileVerifiedByMd5LandsAtDestination) {
  DownloadWorld world;
  std::string content = pattern_content(10'500);
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  CHECK(result.error == TransferError::kNone);
  LONGS_EQUAL(200, result.http_status);
  LONGS_EQUAL(10'500, result.size);
  LONGS_EQUAL(10'500, result.fetched);
  LONGS_EQUAL(1, result.attempts);
  CHECK_TRUE(read_file(world.destination()) == content);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(world.has_record());
  auto sent = world.http.requests().at(0);
  STRCMP_EQUAL("identity", request_header(sent, "Accept-Encoding").value_or("").c_str());
  CHECK_FALSE(request_header(sent, "Range").has_value());
  CHECK_TRUE(sent.cancel != nullptr);
}

TEST(Download, Sha256DigestComparedCaseInsensitively) {
  DownloadWorld world;
  std::string content = pattern_content(3000);
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.digest_algorithm = docklink::port::HashAlgorithm::kSha256;
  request.expected_digest = docklink::ports::sha256_hex(content);
  for (char& c : request.expected_digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto result = world.downloader().download(request);
  CHECK_TRUE(result.status.is_ok());
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(Download, DigestMismatchTwiceDeletesPartialFileAndRecord) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  world.http.then_serve(FakeFile{content}, 2);
  auto request = world.request_for(content);
  request.expected_digest = docklink::test::md5_hex_of(world.directory, "something else");
  auto result = world.downloader().download(request);
  CHECK(result.error == TransferError::kDigestMismatch);
  CHECK(result.status.code() == StatusCode::kMalformed);
  LONGS_EQUAL(2, result.attempts);  // one fresh fetch from zero, then the mismatch is reported
  LONGS_EQUAL(10'000, result.fetched);
  CHECK_FALSE(request_header(world.http.requests()[1], "Range").has_value());
  CHECK_FALSE(std::filesystem::exists(world.destination()));
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(world.has_record());
}

TEST(Download, DigestMismatchIsFetchedOnceMoreFromZero) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  world.http.then_serve(FakeFile{pattern_content(5000, 'c')});  // damaged on the way: same size, other bytes
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(2, result.attempts);
  LONGS_EQUAL(0, result.resumed_from);
  CHECK_FALSE(request_header(world.http.requests()[1], "Range").has_value());
  CHECK_TRUE(read_file(world.destination()) == content);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(world.has_record());
}

TEST(Download, ServerSizeOtherThanExpectedIsRefusedBeforeTheBody) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.expected_size = 4000;
  auto result = world.downloader().download(request);
  CHECK(result.error == TransferError::kSizeMismatch);
  LONGS_EQUAL(0, result.fetched);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(world.has_record());
}

TEST(Download, BodyLongerThanExpectedWithoutContentLengthIsASizeMismatch) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  FakeResponse chunked;  // no Content-Length: the size shows only as the body arrives
  chunked.body = content;
  world.http.then(chunked);
  auto request = world.request_for(content);
  request.expected_size = 4500;
  auto result = world.downloader().download(request);
  CHECK(result.error == TransferError::kSizeMismatch);
  CHECK_FALSE(std::filesystem::exists(world.part()));
}

TEST(Download, BodyShorterThanExpectedWithoutContentLengthIsASizeMismatch) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  FakeResponse chunked;
  chunked.body = content.substr(0, 4000);
  world.http.then(chunked);
  auto result = world.downloader().download(world.request_for(content));
  CHECK(result.error == TransferError::kSizeMismatch);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(std::filesystem::exists(world.destination()));
}

TEST(Download, BearerHeaderIsSentButNeverLogged) {
  DownloadWorld world;
  std::string content = pattern_content(2000);
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.headers.push_back({"Authorization", "Bearer tok3n-s3cret"});
  CHECK_TRUE(world.downloader().download(request).status.is_ok());
  STRCMP_EQUAL("Bearer tok3n-s3cret",
               request_header(world.http.requests().at(0), "Authorization").value_or("").c_str());
  CHECK_FALSE(world.log.contains("tok3n"));
  CHECK_FALSE(world.log.contains("X-Amz-Signature"));  // a pre-signed URL's query is never logged
  CHECK_TRUE(world.log.contains("https://files.example.com/fw.bin"));
}

TEST(Download, UnusableRequestsAreRefusedWithoutARequest) {
  DownloadWorld world;
  std::string content = pattern_content(100);
  auto no_digest = world.request_for(content);
  no_digest.expected_digest.clear();
  auto short_digest = world.request_for(content);
  short_digest.expected_digest.pop_back();
  auto bad_key = world.request_for(content);
  bad_key.resume_key = "../escape";
  auto ftp = world.request_for(content);
  ftp.url = "ftp://files.example.com/fw.bin";
  for (const auto& request : {no_digest, short_digest, bad_key, ftp}) {
    auto result = world.downloader().download(request);
    CHECK(result.error == TransferError::kInvalidRequest);
    CHECK(result.status.code() == StatusCode::kInvalidArgument);
  }
  LONGS_EQUAL(0, world.http.requests().size());
}

TEST(Download, UnverifiedDownloadOnlyWhenAskedFor) {
  DownloadWorld world;
  std::string content = pattern_content(1500);
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.expected_digest.clear();
  request.allow_unverified = true;
  CHECK_TRUE(world.downloader().download(request).status.is_ok());
  CHECK_TRUE(read_file(world.destination()) == content);
}

// With no digest to compare, hashing the body would only cost CPU (MD5 is the costliest step of a fast download):
// an unverified download hashes nothing, with the digest on its own thread or inline.
TEST(Download, UnverifiedDownloadHashesNothing) {
  for (bool own_thread : {true, false}) {
    DownloadWorld world;
    docklink::test::CountingHashing hashing;
    std::string content = pattern_content(40'000);
    world.http.then_serve(FakeFile{content});
    auto request = world.request_for(content);
    request.expected_digest.clear();
    request.allow_unverified = true;
    world.options.hash_on_own_thread = own_thread;
    auto ports = world.ports();
    ports.hashing = &hashing;
    auto result = docklink::transfer::Downloader(ports, world.options).download(request);
    CHECK_TRUE(result.status.is_ok());
    CHECK_TRUE(read_file(world.destination()) == content);
    LONGS_EQUAL(0, hashing.bytes());
  }
}

TEST(Download, FullDiskIsReportedAsDiskFull) {
  DownloadWorld world;
  if (!std::filesystem::exists("/dev/full")) return;  // Linux only: every write there fails with ENOSPC
  std::string content = pattern_content(3000);
  world.http.then_serve(FakeFile{content});
  std::filesystem::create_symlink("/dev/full", world.part());
  auto result = world.downloader().download(world.request_for(content));
  CHECK(result.error == TransferError::kDiskFull);
  CHECK(result.status.code() == StatusCode::kIo);
  LONGS_EQUAL(1, result.attempts);  // never retried: waiting does not free space
}

TEST(Download, TlsVerificationFailureIsNotRetried) {
  DownloadWorld world;
  FakeResponse refused;
  refused.failure = docklink::Status(StatusCode::kAuth, "certificate verify failed");
  world.http.then(refused);
  auto result = world.downloader().download(world.request_for("x"));
  CHECK(result.error == TransferError::kTls);
  LONGS_EQUAL(1, result.attempts);
  LONGS_EQUAL(0, world.waiter.waits.size());
}
