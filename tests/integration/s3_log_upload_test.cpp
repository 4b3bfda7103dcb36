// LogUploader end to end against a real S3 server that verifies SigV4 (s3rver), with CurlHttpClient and mbedTLS;
// fileupload_start comes from the loopback FakeCloud. The logs are read back with a signed GET under the keys the
// cloud chose; a wrong secret fails the file with 324902 (DJI has no request to renew these credentials).
#include <memory>
#include <string>

#include "client_fixture.hpp"
#include "docklink/dji/log_upload.hpp"
#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/result_codes.hpp"
#include "paho_test_support.hpp"  // TempDirectory
#include "s3_test_support.hpp"
#include "test_clock.hpp"

// clang-format off
#include "CppUTest/TestHarness.h"
// clang-format on

using namespace docklink;
using test::Seen;

namespace {

std::string log_content(const std::string& module) {
  return test::deterministic_bytes(module == "3" ? 120 * 1024 : 40 * 1024, module == "3" ? 31u : 32u);
}

}  // namespace

TEST_GROUP(S3LogUpload) {
  test::TempDirectory directory;
  std::unique_ptr<test::S3rverProcess> server;
  std::unique_ptr<test::ClientRig> rig;
  std::unique_ptr<ports::CurlHttpClient> curl;
  ports::MbedtlsHashing hashing;
  test::SteadyClock clock;
  std::unique_ptr<transfer::TransferManager> manager;
  std::unique_ptr<dji::LogUploader> logs;

  void setup() override {
    if (test::S3rverProcess::missing()) TEST_EXIT;
    server = std::make_unique<test::S3rverProcess>(directory.file("s3"));
    CHECK_TEXT(server->running(), server->error().c_str());
    rig = std::make_unique<test::ClientRig>();
    CHECK_TRUE(rig->start_and_wait_topology());
    auto created = ports::CurlHttpClient::create({});
    CHECK_TRUE(created.is_ok());
    curl = std::move(created).value();
    manager = std::make_unique<transfer::TransferManager>(
        rig->runtime, transfer::DownloaderPorts{curl.get(), &hashing, &clock, nullptr, nullptr, nullptr});
    dji::LogUploaderOptions options;
    options.hashing = &hashing;
    options.map_file = [this](const dji::LogRequest& request) -> Result<std::string> {
      std::string path = directory.file("module-" + request.module + ".log");
      std::string content = log_content(request.module);
      std::FILE* out = std::fopen(path.c_str(), "wb");
      if (out == nullptr) return Status(StatusCode::kIo, "cannot write " + path);
      bool written = std::fwrite(content.data(), 1, content.size(), out) == content.size();
      if (std::fclose(out) != 0 || !written) return Status(StatusCode::kIo, "cannot write " + path);
      return path;
    };
    logs = std::make_unique<dji::LogUploader>(*rig->client, *manager, port::Platform{&clock, nullptr, nullptr, nullptr},
                                              options);
    logs->attach();
  }
  void teardown() override {
    logs.reset();
    if (manager) manager->shutdown();
    rig.reset();
    server.reset();
  }

  std::string start_data(const std::string& secret) {
    auto keys = test::s3rver_credentials(*server, secret);
    std::string expire = std::to_string(clock.wall_ms() + 3'600'000);  // absolute epoch ms, as DJI's cloud sends it
    return R"({"bucket":")" + server->options().bucket + R"(","endpoint":")" + server->endpoint() +
           R"(","provider":"minio","region":"us-east-1","credentials":{"access_key_id":")" + keys.access_key_id +
           R"(","access_key_secret":")" + keys.secret_access_key + R"(","security_token":"","expire":)" + expire +
           R"(},"file_type":"text_log","params":{"files":[)"
           R"({"object_key":"logs-uuid/DOCK0001/dock.log","module":"3","list":[{"boot_index":1}]},)"
           R"({"object_key":"logs-uuid/UAV/aircraft.log","module":"0","list":[{"boot_index":2}]}]}})";
  }
  // The last fileupload_progress of call `tid` (its status is no longer in_progress).
  Seen last_event(const std::string& tid) {
    return rig->cloud.wait_for(
        "/events",
        [tid](const Seen& seen) {
          return seen.str("method") == "fileupload_progress" && seen.str("bid") == "bid-" + tid &&
                 seen.payload.find(R"("output":{"status":"in_progress")") == std::string::npos;
        },
        std::chrono::seconds(60));
  }
  static const rapidjson::Value& file(const Seen& seen, rapidjson::SizeType i) {
    return (*seen.json)["data"]["output"]["ext"]["files"][i];
  }
  test::RecordingSink object(const std::string& key) {
    return test::s3_send_signed(*curl, hashing, *server, test::s3rver_credentials(*server), "GET", key);
  }
};

TEST(S3LogUpload, LogsLandUnderTheKeysTheCloudChose) {
  rig->cloud.call_service(test::kDockSn, "fileupload_start", start_data({}), "logs1");
  Seen last = last_event("logs1");
  STRCMP_EQUAL("ok", (*last.json)["data"]["output"]["status"].GetString());
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    std::string module = file(last, i)["module"].GetString();
    auto answer = object(file(last, i)["key"].GetString());
    LONGS_EQUAL(200, answer.status);
    CHECK(answer.body == log_content(module));
    STRCMP_EQUAL(ports::file_md5_hex(directory.file("module-" + module + ".log")).value().c_str(),
                 file(last, i)["fingerprint"].GetString());
    LONGS_EQUAL(100, file(last, i)["progress"]["progress"].GetInt());
  }
}

TEST(S3LogUpload, WrongSecretFailsEachFileWithCredentialsRefused) {
  rig->cloud.call_service(test::kDockSn, "fileupload_start", start_data("not-the-secret"), "logs2");
  Seen last = last_event("logs2");
  STRCMP_EQUAL("failed", (*last.json)["data"]["output"]["status"].GetString());
  LONGS_EQUAL(result_code::kLogCredentialsRefused, last.result());
  LONGS_EQUAL(result_code::kLogCredentialsRefused, file(last, 0)["progress"]["result"].GetInt());
  LONGS_EQUAL(404, object("logs-uuid/DOCK0001/dock.log").status);
}
