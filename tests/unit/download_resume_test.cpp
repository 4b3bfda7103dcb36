// Resuming a download from its Store record after a stop, a failed run or a restart: Range and If-Range, and the
// cases where the engine must start from zero instead (server ignores Range, file changed, record corrupt).
#include <filesystem>
#include <optional>

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
using docklink::transfer::TransferControl;
using docklink::transfer::TransferError;

namespace {

// Runs a first download of `content` that is paused after `bytes` (pieces of 1000), leaving its partial file and
// resume record behind as a stopped or killed process would.
void leave_partial(DownloadWorld& world, const std::string& content, std::size_t bytes,
                   std::optional<docklink::transfer::DownloadRequest> request = std::nullopt) {
  TransferControl control;
  world.http.then_serve(FakeFile{content});
  world.http.on_piece([&](std::size_t done) {
    if (done >= bytes) control.pause();
  });
  auto result = world.downloader().download(request.value_or(world.request_for(content)), &control);
  world.http.on_piece({});
  CHECK(result.error == TransferError::kPaused);
  LONGS_EQUAL(bytes, std::filesystem::file_size(world.part()));
  CHECK_TRUE(world.has_record());
}

}  // namespace

TEST_GROUP(DownloadResume){};

TEST(DownloadResume, NewDownloaderContinuesWithRangeAndIfRange) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(world.request_for(content));  // a "restarted process"
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(206, result.http_status);
  LONGS_EQUAL(4000, result.resumed_from);
  LONGS_EQUAL(6000, result.fetched);  // nothing fetched twice
  auto sent = world.http.requests().back();
  STRCMP_EQUAL("bytes=4000-", request_header(sent, "Range").value_or("").c_str());
  STRCMP_EQUAL("\"v1\"", request_header(sent, "If-Range").value_or("").c_str());
  CHECK_TRUE(read_file(world.destination()) == content);
  CHECK_FALSE(world.has_record());
}

TEST(DownloadResume, RecordAndPartialSurviveAFailedRunAndAFreshUrl) {
  DownloadWorld world;
  std::string content = pattern_content(8000);
  world.options.max_retries = 0;
  FakeResponse cut;
  cut.headers = {{"ETag", "\"v1\""}, {"Content-Length", "8000"}};
  cut.body = content;
  cut.cut_after = 3000;
  world.http.then(cut);
  CHECK(world.downloader().download(world.request_for(content)).error == TransferError::kNetwork);
  CHECK_TRUE(world.has_record());
  world.http.then_serve(FakeFile{content});
  auto request = world.request_for(content);
  request.url = "https://files.example.com/fw.bin?X-Amz-Signature=renewed";  // a refreshed pre-signed URL
  auto result = world.downloader().download(request);
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(3000, result.resumed_from);
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, ServerIgnoringRangeRestartsFromZeroWithoutSplicing) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  world.http.then_serve(FakeFile{content, "\"v1\"", false});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(200, result.http_status);
  LONGS_EQUAL(10'000, result.fetched);
  LONGS_EQUAL(1, result.attempts);
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, ChangedValidatorMakesTheServerSendTheWholeFile) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  world.http.then_serve(FakeFile{content, "\"v2\""});  // re-uploaded: If-Range "v1" no longer matches
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(200, result.http_status);
  LONGS_EQUAL(10'000, result.fetched);
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, PartialAnswerOfAnotherVersionRestartsWithoutRange) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  FakeResponse stale;  // a server that ignores If-Range: 206 of a file with another ETag
  stale.status = 206;
  stale.headers = {{"ETag", "\"v2\""}, {"Content-Range", "bytes 4000-9999/10000"}};
  stale.body = content.substr(4000);
  world.http.then(stale);
  world.http.then_serve(FakeFile{content, "\"v2\""});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(2, result.attempts);
  CHECK_FALSE(request_header(world.http.requests().back(), "Range").has_value());
  CHECK_TRUE(read_file(world.destination()) == content);
  LONGS_EQUAL(0, world.waiter.waits.size());  // a restart is not a failure to back off from
}

TEST(DownloadResume, WrongContentRangeStartRestartsFromZero) {
  DownloadWorld world;
  std::string content = pattern_content(6000);
  leave_partial(world, content, 2000);
  FakeResponse wrong;
  wrong.status = 206;
  wrong.headers = {{"ETag", "\"v1\""}, {"Content-Range", "bytes 1000-5999/6000"}};
  wrong.body = content.substr(1000);
  world.http.then(wrong);
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, CorruptRecordsAreDiscardedAndLogged) {
  const char* corrupt[] = {"garbage", "docklink-download 9\nurl=x", "docklink-download 1\nurl=x\noffset=12\nend",
                           "docklink-download 1\nurl=\ndestination=\nsize=abc\nalgorithm=md5\ndigest=\netag=\n"
                           "last_modified=\noffset=0\nend"};
  for (const char* text : corrupt) {
    DownloadWorld world;
    std::string content = pattern_content(3000);
    CHECK_TRUE(world.store.put("dl.fw", text).is_ok());
    docklink::test::write_file(world.part(), "junk that must not be kept");
    world.http.then_serve(FakeFile{content});
    auto result = world.downloader().download(world.request_for(content));
    CHECK_TRUE(result.status.is_ok());
    LONGS_EQUAL(0, result.resumed_from);
    CHECK_FALSE(request_header(world.http.requests().at(0), "Range").has_value());
    CHECK_TRUE(world.log.contains("discarding corrupt resume record"));
    CHECK_TRUE(read_file(world.destination()) == content);
  }
}

TEST(DownloadResume, RecordOfAnotherFileIsNotUsed) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  std::string other = pattern_content(10'000, 'b');
  world.http.then_serve(FakeFile{other, "\"w1\""});
  auto result = world.downloader().download(world.request_for(other));  // same key, another digest
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(0, result.resumed_from);
  CHECK_FALSE(request_header(world.http.requests().back(), "Range").has_value());
  CHECK_TRUE(read_file(world.destination()) == other);
}

TEST(DownloadResume, WholePartialFileIsVerifiedWithoutARequest) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  leave_partial(world, content, 2000);
  docklink::test::write_file(world.part(), content);  // the process wrote the last byte, then was killed
  std::size_t requests_before = world.http.requests().size();
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(requests_before, world.http.requests().size());
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, UnsatisfiableRangeAtTheFullLengthMeansComplete) {
  DownloadWorld world;
  std::string content = pattern_content(5000);
  auto request = world.request_for(content);
  request.expected_size.reset();  // without a size the engine must ask the server
  TransferControl control;
  world.http.then_serve(FakeFile{content});
  world.http.on_piece([&](std::size_t done) {
    if (done >= 2000) control.pause();
  });
  CHECK(world.downloader().download(request, &control).error == TransferError::kPaused);
  world.http.on_piece({});
  docklink::test::write_file(world.part(), content);  // the process wrote the last byte, then was killed
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(request);
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(416, result.http_status);
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadResume, DamagedPartialFileIsReplacedByOneFetchFromZero) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  docklink::test::write_file(world.part(), pattern_content(4000, 'c'));  // the partial file was damaged
  world.http.then_serve(FakeFile{content}, 2);
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(4000, result.resumed_from);
  LONGS_EQUAL(6000 + 10'000, result.fetched);  // the rest, then the whole file once more
  CHECK_TRUE(read_file(world.destination()) == content);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(world.has_record());
}

TEST(DownloadResume, WholeButDamagedPartialFileIsFetchedOnceMoreThenRefused) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  leave_partial(world, content, 4000);
  docklink::test::write_file(world.part(), pattern_content(10'000, 'c'));  // all there, but garbage
  world.http.then_serve(FakeFile{pattern_content(10'000, 'd')});           // and the server sends wrong bytes too
  auto result = world.downloader().download(world.request_for(content));
  CHECK(result.error == TransferError::kDigestMismatch);
  LONGS_EQUAL(1, result.attempts);  // none for the partial file that looked whole, one fresh fetch
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(std::filesystem::exists(world.destination()));
  CHECK_FALSE(world.has_record());
}

TEST(DownloadResume, WeakEtagIsNeverSentLastModifiedIsUsedInstead) {
  DownloadWorld world;
  world.options.max_retries = 0;
  std::string content = pattern_content(6000);
  FakeResponse cut;
  cut.headers = {
      {"ETag", "W/\"weak\""}, {"Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"}, {"Content-Length", "6000"}};
  cut.body = content;
  cut.cut_after = 2500;
  world.http.then(cut);
  CHECK(world.downloader().download(world.request_for(content)).error == TransferError::kNetwork);
  world.http.then([&](const docklink::port::HttpRequest& request) {
    auto unconditional = request;  // the fake compares If-Range with ETags only; the date is checked below
    unconditional.headers.pop_back();
    return docklink::test::serve(FakeFile{content, ""}, unconditional);
  });
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(206, result.http_status);
  LONGS_EQUAL(2500, result.resumed_from);
  STRCMP_EQUAL("Wed, 21 Oct 2015 07:28:00 GMT",
               request_header(world.http.requests().back(), "If-Range").value_or("").c_str());
}

// With no digest to compare, the partial file a download resumes from is not read back through a hasher either:
// its length is all the resume needs.
TEST(DownloadResume, AnUnverifiedResumeDoesNotReadThePartialFileBack) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  auto request = world.request_for(content);
  request.expected_digest.clear();
  request.allow_unverified = true;
  leave_partial(world, content, 4000, request);
  world.http.then_serve(FakeFile{content});
  docklink::test::CountingHashing hashing;
  auto ports = world.ports();
  ports.hashing = &hashing;
  auto result = docklink::transfer::Downloader(ports, world.options).download(request);
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(4000, result.resumed_from);
  CHECK_TRUE(read_file(world.destination()) == content);
  LONGS_EQUAL(0, hashing.bytes());
}
