// iotda::FileManager on the loopback transport with scripted HTTP: get_upload_url / get_download_url go out with
// the file's name (and size), the platform's answer's pre-signed URL is used for one PUT or a SHA-256-verified GET,
// and upload_result_report / download_result_report carry the outcome; a URL that never comes fails on time.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client_fixture.hpp"
#include "docklink/iotda/file_manager.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/crypto.hpp"
#include "download_fixture.hpp"
#include "iotda_loopback_cloud.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::FakeFile;
using docklink::test::IotdaSeen;

namespace {

constexpr const char* kGatewayId = "prod_DOCK0001";

ClientOptions iotda_options() {
  iotda::ProfileOptions profile;
  profile.gateway_sn = test::kDockSn;
  profile.gateway_device_id = kGatewayId;
  ClientOptions options = test::dock_options();
  options.profile = iotda::make_profile(profile).value();
  return options;
}

/// A client of clock type `Rig`, its IoTDA cloud, a manager on scripted HTTP and a FileManager.
template <class Rig>
struct FilesWorld {
  explicit FilesWorld(iotda::FileManagerOptions options = {}) {
    transfer::TransferManagerOptions manager_options;
    manager_options.download = download.options;
    manager = std::make_unique<transfer::TransferManager>(rig.runtime, download.ports(), manager_options);
    files = std::make_unique<iotda::FileManager>(*rig.client, *manager, rig.runtime, options);
    files->attach();
    CHECK_TRUE(rig.client->start());
    CHECK_TRUE(test::eventually([&] { return rig.client->counters().connections_ready == 1; }));
  }
  ~FilesWorld() {
    files.reset();
    manager->shutdown();
    cloud.reset();
  }

  iotda::FileDoneCallback catcher() {
    return [this](const iotda::FileTransferResult& result) {
      std::lock_guard<std::mutex> lock(mutex);
      outcome = result;
    };
  }
  std::optional<iotda::FileTransferResult> result() {
    std::lock_guard<std::mutex> lock(mutex);
    return outcome;
  }
  bool finished() {
    return test::eventually([&] { return result().has_value(); });
  }
  IotdaSeen event(const char* type) {
    const std::string quoted = std::string("\"") + type + "\"";
    return cloud->wait_for("events/up",
                           [&](const IotdaSeen& seen) { return seen.payload.find(quoted) != std::string::npos; });
  }
  static const rapidjson::Value& paras(const IotdaSeen& seen) { return (*seen.json)["services"][0]["paras"]; }
  void answer(const char* type, const std::string& paras_json) {
    cloud->publish("events/down", std::string(R"({"services":[{"service_id":"$file_manager","event_type":")") + type +
                                      R"(","paras":)" + paras_json + "}]}");
  }

  Rig rig{iotda_options()};
  std::unique_ptr<test::IotdaLoopbackCloud> cloud = std::make_unique<test::IotdaLoopbackCloud>(rig.broker, kGatewayId);
  test::DownloadWorld download;
  std::unique_ptr<transfer::TransferManager> manager;
  std::unique_ptr<iotda::FileManager> files;
  std::mutex mutex;
  std::optional<iotda::FileTransferResult> outcome;
};

using World = FilesWorld<test::ClientRig>;

iotda::FileUpload upload_of(const std::string& sn, const std::string& path, const std::string& sha256 = {}) {
  iotda::FileUpload file;
  file.device_sn = sn;
  file.path = path;
  file.sha256 = sha256;
  return file;
}

iotda::FileDownload download_of(const std::string& sn, const std::string& name, const std::string& destination) {
  iotda::FileDownload file;
  file.device_sn = sn;
  file.file_name = name;
  file.destination = destination;
  return file;
}

}  // namespace

TEST_GROUP(IotdaFileManager){};

TEST(IotdaFileManager, AnUploadAsksForAUrlPutsTheFileThereAndReportsTheResult) {
  World world;
  const std::string content = test::pattern_content(3'000);
  const std::string path = world.download.directory + "/flight.log";
  test::write_file(path, content);
  world.download.http.then(test::FakeResponse{});  // 200
  CHECK_TRUE(world.files->upload(upload_of(test::kDockSn, path, ports::sha256_hex(content)), world.catcher()));
  IotdaSeen ask = world.event("get_upload_url");
  CHECK_TRUE(ask.json != nullptr);
  STRCMP_EQUAL("flight.log", World::paras(ask)["file_name"].GetString());
  LONGS_EQUAL(3000, World::paras(ask)["file_attributes"]["size"].GetInt());
  STRCMP_EQUAL(ports::sha256_hex(content).c_str(), World::paras(ask)["file_attributes"]["hash_code"].GetString());
  world.answer("get_upload_url_response",
               R"({"url":"https://obs.example.com/b/dock/flight.log?X-Amz-Signature=s","bucket_name":"b",)"
               R"("object_name":"dock/flight.log","expire":3600})");
  CHECK_TRUE(world.finished());
  CHECK_TRUE(world.result()->status.is_ok());
  STRCMP_EQUAL("dock/flight.log", world.result()->object_name.c_str());
  IotdaSeen report = world.event("upload_result_report");
  CHECK_TRUE(report.json != nullptr);
  STRCMP_EQUAL("dock/flight.log", World::paras(report)["object_name"].GetString());
  LONGS_EQUAL(0, World::paras(report)["result_code"].GetInt());
  LONGS_EQUAL(200, World::paras(report)["status_code"].GetInt());
  auto requests = world.download.http.requests();
  LONGS_EQUAL(1, requests.size());
  STRCMP_EQUAL("PUT", requests[0].method.c_str());
  STRCMP_EQUAL("https://obs.example.com/b/dock/flight.log?X-Amz-Signature=s", requests[0].url.c_str());
  CHECK_TRUE(test::request_header(requests[0], "Content-Type") == std::string("text/plain"));
  CHECK_TRUE(world.download.http.bodies()[0] == content);
  LONGS_EQUAL(0, world.files->waiting());
}

TEST(IotdaFileManager, ARefusedPutIsReportedAsAFailureWithObssStatus) {
  World world;
  const std::string path = world.download.directory + "/a.bin";
  test::write_file(path, "abc");
  test::FakeResponse refused;
  refused.status = 403;
  world.download.http.then(refused);
  CHECK_TRUE(world.files->upload(upload_of(test::kDockSn, path), world.catcher()));
  CHECK_TRUE(world.event("get_upload_url").json != nullptr);
  world.answer("get_upload_url_response", R"({"url":"https://obs.example.com/a.bin?sig=1","object_name":"a.bin"})");
  CHECK_TRUE(world.finished());
  CHECK_FALSE(world.result()->status.is_ok());
  IotdaSeen report = world.event("upload_result_report");
  LONGS_EQUAL(1, World::paras(report)["result_code"].GetInt());
  LONGS_EQUAL(403, World::paras(report)["status_code"].GetInt());
}

TEST(IotdaFileManager, ADownloadIsVerifiedByTheAnswersHashAndReported) {
  World world;
  const std::string content = test::pattern_content(8'000, 'k');
  world.download.http.then_serve(FakeFile{content});
  const std::string destination = world.download.directory + "/map.bin";
  CHECK_TRUE(world.files->download(download_of(test::kDockSn, "map.bin", destination), world.catcher()));
  IotdaSeen ask = world.event("get_download_url");
  STRCMP_EQUAL("map.bin", World::paras(ask)["file_name"].GetString());
  world.answer("get_download_url_response", R"({"url":"https://obs.example.com/map.bin?sig=1","object_name":"map.bin",)"
                                            R"("file_attributes":{"hash_code":")" +
                                                ports::sha256_hex(content) + R"(","size":8000}})");
  CHECK_TRUE(world.finished());
  CHECK_TRUE(world.result()->status.is_ok());
  CHECK_TRUE(test::read_file(destination) == content);
  IotdaSeen report = world.event("download_result_report");
  LONGS_EQUAL(0, World::paras(report)["result_code"].GetInt());
  STRCMP_EQUAL("map.bin", World::paras(report)["object_name"].GetString());
}

TEST(IotdaFileManager, ADownloadWithoutAnyDigestFailsWithoutFetching) {
  World world;
  CHECK_TRUE(
      world.files->download(download_of(test::kDockSn, "x.bin", world.download.directory + "/x.bin"), world.catcher()));
  CHECK_TRUE(world.event("get_download_url").json != nullptr);
  world.answer("get_download_url_response", R"({"url":"https://obs.example.com/x.bin","object_name":"x.bin"})");
  CHECK_TRUE(world.finished());
  CHECK_FALSE(world.result()->status.is_ok());
  LONGS_EQUAL(1, World::paras(world.event("download_result_report"))["result_code"].GetInt());
  LONGS_EQUAL(0, world.download.http.requests().size());
}

TEST(IotdaFileManager, TheSameFileCannotWaitTwiceAndBadRequestsAreRefused) {
  World world;
  const std::string path = world.download.directory + "/b.bin";
  test::write_file(path, "b");
  CHECK_TRUE(world.files->upload(upload_of(test::kDockSn, path), world.catcher()));
  CHECK_TRUE(StatusCode::kBusy == world.files->upload(upload_of(test::kDockSn, path), world.catcher()).code());
  CHECK_TRUE(
      StatusCode::kInvalidArgument ==
      world.files->upload(upload_of(test::kDockSn, world.download.directory + "/missing"), world.catcher()).code());
  CHECK_TRUE(StatusCode::kInvalidArgument == world.files->upload(upload_of("", path), world.catcher()).code());
  CHECK_TRUE(StatusCode::kInvalidArgument ==
             world.files->download(download_of(test::kDockSn, "c", ""), world.catcher()).code());
  LONGS_EQUAL(1, world.files->waiting());
}

TEST(IotdaFileManager, AUrlThatNeverComesFailsTheTransferAtItsTimeout) {
  iotda::FileManagerOptions options;
  options.url_timeout_ms = 5000;
  FilesWorld<test::ManualClientRig> world(options);
  const std::string path = world.download.directory + "/late.bin";
  test::write_file(path, "late");
  CHECK_TRUE(world.files->upload(upload_of(test::kDockSn, path), world.catcher()));
  CHECK_TRUE(world.event("get_upload_url").json != nullptr);
  CHECK_TRUE(world.rig.advance(4999));
  CHECK_FALSE(world.result().has_value());
  CHECK_TRUE(world.rig.advance(1));
  CHECK_TRUE(world.finished());
  CHECK_TRUE(StatusCode::kTimeout == world.result()->status.code());
  LONGS_EQUAL(0, world.files->waiting());
}
