// Wayline and geofence files: the KMZ's fingerprint is checked as MD5 and the flight-area checksum as SHA-256 when
// they are downloaded on the TransferManager (scripted HTTP); digests of the wrong length are refused before any
// request.
#include <memory>
#include <string>
#include <vector>

#include "docklink/dji/file_fetch.hpp"
#include "download_fixture.hpp"
#include "test_clock.hpp"
#include "transfer_manager_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::dji::DjiFile;
using docklink::test::FakeFile;
using docklink::transfer::DownloadResult;
using docklink::transfer::TransferError;

namespace {

// SHA-256("abc"), the FIPS 180-2 example: independent of the hasher under test.
constexpr const char* kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

struct FetchWorld {
  FetchWorld() {
    docklink::transfer::TransferManagerOptions options;
    options.download = download.options;
    runtime = std::make_unique<docklink::Runtime>(clock);
    manager = std::make_unique<docklink::transfer::TransferManager>(*runtime, download.ports(), options);
  }
  ~FetchWorld() { manager->shutdown(); }

  static rapidjson::Document parse(const std::string& json) {
    rapidjson::Document document;
    document.Parse(json.c_str());
    return document;
  }

  docklink::test::DownloadWorld download;
  docklink::test::SteadyClock clock;
  docklink::test::Events events;
  std::unique_ptr<docklink::Runtime> runtime;
  std::unique_ptr<docklink::transfer::TransferManager> manager;
};

}  // namespace

TEST_GROUP(DjiFileFetch){};

TEST(DjiFileFetch, FlighttaskPrepareKmzIsCheckedAgainstItsFingerprintAsMd5) {
  FetchWorld world;
  std::string kmz = docklink::test::pattern_content(12'000, 'k');
  auto data = FetchWorld::parse(R"({"flight_id":"f1","file":{"url":"https://files.example.com/w.kmz","fingerprint":")" +
                                docklink::test::md5_hex_of(world.download.directory, kmz) + R"("}})");
  auto file = docklink::dji::parse_wayline_file(data);
  CHECK_TRUE(file.is_ok());
  CHECK(file.value().algorithm == docklink::port::HashAlgorithm::kMd5);
  world.download.http.then_serve(FakeFile{kmz});
  DownloadResult result;
  std::string path = world.download.directory + "/f1.kmz";
  CHECK_TRUE(docklink::dji::fetch_file(*world.manager, file.value(), path, "kmz-f1",
                                       [&](docklink::transfer::TransferId, const DownloadResult& done) {
                                         result = done;
                                         world.events.bump("done");
                                       })
                 .is_ok());
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TRUE(result.status.is_ok());
  CHECK_TRUE(docklink::test::read_file(path) == kmz);
}

TEST(DjiFileFetch, KmzWhoseBytesDoNotMatchTheFingerprintIsRefused) {
  FetchWorld world;
  std::string kmz = docklink::test::pattern_content(8'000, 'k');
  DjiFile file;
  file.url = "https://files.example.com/w.kmz";
  file.digest = docklink::test::md5_hex_of(world.download.directory, kmz + "changed");
  world.download.http.then_serve(FakeFile{kmz}, 2);  // the engine fetches once more after a mismatch
  DownloadResult result;
  std::string path = world.download.directory + "/w.kmz";
  CHECK_TRUE(docklink::dji::fetch_file(*world.manager, file, path, "kmz-w",
                                       [&](docklink::transfer::TransferId, const DownloadResult& done) {
                                         result = done;
                                         world.events.bump("done");
                                       })
                 .is_ok());
  CHECK_TRUE(world.events.await("done", 1));
  CHECK(result.error == TransferError::kDigestMismatch);
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST(DjiFileFetch, FingerprintThatIsNotAnMd5IsRefusedBeforeAnyRequest) {
  auto data =
      FetchWorld::parse(std::string(R"({"file":{"url":"https://x/w.kmz","fingerprint":")") + kAbcSha256 + R"("}})");
  CHECK_FALSE(docklink::dji::parse_wayline_file(data).is_ok());
  auto no_file = FetchWorld::parse(R"({"flight_id":"f1"})");
  CHECK_FALSE(docklink::dji::parse_wayline_file(no_file).is_ok());
}

TEST(DjiFileFetch, DecodedUrlAndFingerprintMakeTheSameKmzAsTheData) {
  const std::string md5 = "0123456789abcdef0123456789ABCDEF";
  auto file = docklink::dji::wayline_file("https://x/w.kmz", md5);
  CHECK_TRUE(file.is_ok());
  STRCMP_EQUAL("https://x/w.kmz", file.value().url.c_str());
  STRCMP_EQUAL(md5.c_str(), file.value().digest.c_str());
  CHECK(file.value().algorithm == docklink::port::HashAlgorithm::kMd5);
  CHECK_FALSE(docklink::dji::wayline_file("", md5).is_ok());
  CHECK_FALSE(docklink::dji::wayline_file("https://x/w.kmz", kAbcSha256).is_ok());
  CHECK_FALSE(docklink::dji::wayline_file("https://x/w.kmz", "placeholder").is_ok());
}

TEST(DjiFileFetch, FlightAreaFilesAreCheckedAgainstTheirSha256Checksums) {
  FetchWorld world;
  std::string good_name = "geofence_0123456789abcdef0123456789abcdef.json";
  std::string bad_name = "geofence_fedcba9876543210fedcba9876543210.json";
  auto output = FetchWorld::parse(
      R"({"files":[{"name":")" + good_name + R"(","url":"https://files.example.com/a.json","checksum":")" + kAbcSha256 +
      R"(","size":3},{"name":")" + bad_name + R"(","url":"https://files.example.com/b.json","checksum":")" +
      kAbcSha256 + R"(","size":3}]})");
  auto files = docklink::dji::parse_flight_area_files(output);
  CHECK_TRUE(files.is_ok());
  LONGS_EQUAL(2, files.value().size());
  CHECK(files.value()[0].algorithm == docklink::port::HashAlgorithm::kSha256);
  // Downloads run in parallel, so every answer serves by URL: a's first fetch, b's, and b's refetch after its
  // mismatch, in whichever order they come. b's bytes ("abd") do not match its checksum.
  for (int i = 0; i < 3; ++i) {
    world.download.http.then([](const docklink::port::HttpRequest& request) {
      bool is_a = request.url.find("a.json") != std::string::npos;
      return docklink::test::serve(FakeFile{is_a ? "abc" : "abd"}, request);
    });
  }
  std::vector<DownloadResult> results;
  docklink::dji::fetch_files(*world.manager, files.value(), world.download.directory,
                             [&](const std::vector<DownloadResult>& done) {
                               results = done;
                               world.events.bump("all");
                             });
  CHECK_TRUE(world.events.await("all", 1));
  LONGS_EQUAL(2, results.size());
  CHECK_TRUE(results[0].status.is_ok());
  CHECK(results[1].error == TransferError::kDigestMismatch);
  STRCMP_EQUAL("abc", docklink::test::read_file(world.download.directory + "/" + good_name).c_str());
}

TEST(DjiFileFetch, FlightAreaEntriesWithoutAUsableChecksumOrNameAreRefused) {
  auto md5_sized = FetchWorld::parse(
      R"({"files":[{"name":"geofence_a.json","url":"https://x/a","checksum":"900150983cd24fb0d6963f7d28e17f72"}]})");
  CHECK_FALSE(docklink::dji::parse_flight_area_files(md5_sized).is_ok());
  auto escaping = FetchWorld::parse(std::string(R"({"files":[{"name":"../etc/x","url":"https://x/a","checksum":")") +
                                    kAbcSha256 + R"("}]})");
  CHECK_FALSE(docklink::dji::parse_flight_area_files(escaping).is_ok());
  auto none = FetchWorld::parse(R"({"files":[]})");
  CHECK_TRUE(docklink::dji::parse_flight_area_files(none).is_ok());
  LONGS_EQUAL(0, docklink::dji::parse_flight_area_files(none).value().size());
}

TEST(DjiFileFetch, AnEmptyListEndsAtOnce) {
  FetchWorld world;
  bool called = false;
  docklink::dji::fetch_files(*world.manager, {}, world.download.directory,
                             [&](const std::vector<DownloadResult>& done) { called = done.empty(); });
  CHECK_TRUE(called);
}
