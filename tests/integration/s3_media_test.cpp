// MediaUploader end to end against a real S3 server that verifies SigV4 (s3rver), with CurlHttpClient, mbedTLS
// and a FileStore; the cloud side (storage_config_get answers, events_reply) is the loopback FakeCloud. Each
// object is read back with a signed GET under the key that file_upload_callback announced.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/dji/media_upload.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/file_store.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "paho_test_support.hpp"  // TempDirectory
#include "s3_test_support.hpp"

// clang-format off
#include "CppUTest/TestHarness.h"
// clang-format on

using namespace docklink;
using test::Seen;

namespace {

bool is_config_request(const Seen& seen) { return seen.str("method") == "storage_config_get"; }
bool is_callback(const Seen& seen) { return seen.str("method") == "file_upload_callback"; }

/// The uploader's reports, awaited by the test (a minute at most: a hang fails instead of stopping the suite).
struct Reports {
  void add(const dji::MediaReport& report) {
    std::lock_guard<std::mutex> lock(mutex);
    all.push_back(report);
    changed.notify_all();
  }
  bool await(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::minutes(1), [&] { return all.size() >= count; });
  }
  dji::MediaReport at(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    return all.at(i);
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<dji::MediaReport> all;
};

/// One dock process: its store, HTTP client, transfer manager and media uploader over the loopback client.
struct MediaDock {
  MediaDock(test::ClientRig& rig, const std::string& store_directory, Reports& reports) {
    auto opened = ports::FileStore::open(store_directory);
    if (opened) store = std::move(opened).value();
    auto created = ports::CurlHttpClient::create({});
    if (created) curl = std::move(created).value();
    if (!store || !curl) return;
    manager = std::make_unique<transfer::TransferManager>(
        rig.runtime, transfer::DownloaderPorts{curl.get(), &hashing, &clock, store.get(), nullptr, nullptr});
    dji::MediaUploaderOptions options;
    options.on_report = [&reports](const dji::MediaReport& report) { reports.add(report); };
    media = std::make_unique<dji::MediaUploader>(*rig.client, *manager,
                                                 port::Platform{&clock, nullptr, nullptr, store.get()}, options);
  }
  ~MediaDock() {
    media.reset();
    if (manager) manager->shutdown();
  }
  bool ready() const { return media != nullptr; }

  test::SteadyClock clock;
  ports::MbedtlsHashing hashing;
  std::unique_ptr<ports::FileStore> store;
  std::unique_ptr<ports::CurlHttpClient> curl;
  std::unique_ptr<transfer::TransferManager> manager;
  std::unique_ptr<dji::MediaUploader> media;
};

}  // namespace

TEST_GROUP(S3Media) {
  test::TempDirectory directory;
  std::unique_ptr<test::S3rverProcess> server;
  std::unique_ptr<test::ClientRig> rig;
  Reports reports;

  void setup() override {
    if (test::S3rverProcess::missing()) TEST_EXIT;
    server = std::make_unique<test::S3rverProcess>(directory.file("s3"));
    CHECK_TEXT(server->running(), server->error().c_str());
    rig = std::make_unique<test::ClientRig>();
    rig->cloud.set_auto_events_reply(true);
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override {
    rig.reset();
    server.reset();
  }

  std::unique_ptr<MediaDock> dock() {
    auto made = std::make_unique<MediaDock>(*rig, directory.file("store"), reports);
    CHECK_TEXT(made->ready(), "cannot open the store or create the HTTP client");
    return made;
  }
  // Answers the n-th storage_config_get with the server's bucket and key pair (`secret`: another secret).
  void answer_config(std::size_t n, const std::string& prefix, const std::string& secret = {}) {
    CHECK_TRUE(rig->cloud.wait_count("/requests", n, is_config_request));
    std::vector<Seen> requests;
    for (auto& seen : rig->cloud.all()) {
      if (seen.topic.find("/requests") != std::string::npos && is_config_request(seen)) requests.push_back(seen);
    }
    auto keys = test::s3rver_credentials(*server, secret);
    std::string output = R"({"bucket":")" + server->options().bucket + R"(","endpoint":")" + server->endpoint() +
                         R"(","provider":"minio","region":"us-east-1","object_key_prefix":")" + prefix +
                         R"(","credentials":{"access_key_id":")" + keys.access_key_id + R"(","access_key_secret":")" +
                         keys.secret_access_key + R"(","security_token":"","expire":3600}})";
    const Seen& request = requests[n - 1];
    rig->cloud.publish(std::string("thing/product/") + test::kDockSn + "/requests_reply",
                       R"({"tid":")" + request.str("tid") + R"(","bid":")" + request.str("bid") +
                           R"(","timestamp":1,"method":"storage_config_get","data":{"result":0,"output":)" + output +
                           "}}");
  }
  dji::MediaFile photo(const std::string& name, const std::string& content) {
    dji::MediaFile file;
    file.path = directory.file(name);
    std::FILE* out = std::fopen(file.path.c_str(), "wb");
    CHECK(out != nullptr && std::fwrite(content.data(), 1, content.size(), out) == content.size());
    CHECK(std::fclose(out) == 0);
    file.key_suffix = "flight-7/" + name;
    file.ext_json = R"({"flight_id":"flight-7"})";
    file.content_type = "image/jpeg";
    return file;
  }
  std::vector<std::string> announced_keys() {
    std::vector<std::string> keys;
    for (auto& seen : rig->cloud.all()) {
      if (seen.topic.find("/events") != std::string::npos && is_callback(seen)) {
        keys.emplace_back((*seen.json)["data"]["file"]["object_key"].GetString());
      }
    }
    return keys;
  }
  std::string object(MediaDock & reader, const std::string& key) {
    auto answer =
        test::s3_send_signed(*reader.curl, reader.hashing, *server, test::s3rver_credentials(*server), "GET", key);
    LONGS_EQUAL_TEXT(200, answer.status, answer.body.substr(0, 300).c_str());
    return answer.body;
  }
};

TEST(S3Media, ObjectsExistUnderTheKeysFileUploadCallbackAnnounced) {
  const std::string first = test::deterministic_bytes(200 * 1024, 1);
  const std::string second = test::deterministic_bytes(300 * 1024, 2);
  auto uploading = dock();
  CHECK_TRUE(uploading->media->start().is_ok());
  CHECK_TRUE(uploading->media->enqueue(photo("DJI_0001.JPG", first)).is_ok());
  CHECK_TRUE(uploading->media->enqueue(photo("DJI_0002.JPG", second)).is_ok());
  answer_config(1, "3f2a-prefix");
  CHECK_TRUE(reports.await(2));
  auto keys = announced_keys();
  LONGS_EQUAL(2, keys.size());
  STRCMP_EQUAL("3f2a-prefix/flight-7/DJI_0001.JPG", keys[0].c_str());
  STRCMP_EQUAL("3f2a-prefix/flight-7/DJI_0002.JPG", keys[1].c_str());
  CHECK(object(*uploading, keys[0]) == first);
  CHECK(object(*uploading, keys[1]) == second);
  CHECK(reports.at(0).outcome == dji::MediaOutcome::kDelivered);
  CHECK(reports.at(1).outcome == dji::MediaOutcome::kDelivered);
}

TEST(S3Media, RefusedCredentialsAreRefreshedOnceFromTheCloud) {
  const std::string content = test::deterministic_bytes(100 * 1024, 3);
  auto uploading = dock();
  CHECK_TRUE(uploading->media->start().is_ok());
  CHECK_TRUE(uploading->media->enqueue(photo("stale.jpg", content)).is_ok());
  answer_config(1, "p", "a-stale-secret");  // the server refuses these (SignatureDoesNotMatch)
  answer_config(2, "p");
  CHECK_TRUE(reports.await(1));
  dji::MediaReport report = reports.at(0);
  CHECK_TEXT(report.status.is_ok(), report.status.to_string().c_str());
  LONGS_EQUAL(2, report.upload.credential_requests);
  LONGS_EQUAL(2, rig->cloud.count("/requests", is_config_request));
  CHECK(object(*uploading, "p/flight-7/stale.jpg") == content);
}

TEST(S3Media, QueueLeftByAStoppedProcessIsDeliveredInOrderByTheNext) {
  std::vector<std::string> contents;
  {
    auto first_process = dock();
    CHECK_TRUE(first_process->media->start().is_ok());
    for (int i = 0; i < 3; ++i) {
      contents.push_back(test::deterministic_bytes(50 * 1024, static_cast<std::uint32_t>(10 + i)));
      CHECK_TRUE(first_process->media->enqueue(photo("DJI_000" + std::to_string(i) + ".JPG", contents.back())).is_ok());
    }
    CHECK_TRUE(rig->cloud.wait_count("/requests", 1, is_config_request));
  }  // stopped before the cloud answered: nothing uploaded
  auto second_process = dock();
  LONGS_EQUAL(3, second_process->media->start().value());
  answer_config(2, "after-restart");
  CHECK_TRUE(reports.await(3));
  auto keys = announced_keys();
  LONGS_EQUAL(3, keys.size());
  for (std::size_t i = 0; i < 3; ++i) {
    STRCMP_EQUAL(("after-restart/flight-7/DJI_000" + std::to_string(i) + ".JPG").c_str(), keys[i].c_str());
    CHECK(object(*second_process, keys[i]) == contents[i]);
  }
  LONGS_EQUAL(0, second_process->media->remaining());
}
