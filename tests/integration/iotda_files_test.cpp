// IoTDA's $ota and $file_manager end to end: a dock on the IoTDA profile over a private mosquitto, a small IoTDA
// cloud on its own connection, and a private nginx over TLS. The upgrade's package is fetched with the event's
// access token as a Bearer token (nginx's /auth/ refuses any other with 401), checked by SHA-256 and installed,
// while the cloud watches upgrade_progress_report; a file goes up with one PUT to the URL the cloud answers
// get_upload_url with, and comes down verified.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/client.hpp"
#include "docklink/iotda/file_manager.hpp"
#include "docklink/iotda/ota.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "iotda_https_fixture.hpp"
#include "paho_test_support.hpp"  // transport_options
#include "test_clock.hpp"
#include "test_ports.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;

namespace {

constexpr const char* kDockSn = "IOTDA-DOCK-2";
constexpr const char* kGatewayId = "prod_IOTDA-DOCK-2";
constexpr const char* kToken = "iotda-access-token-7";

/// The paras of the first service of an event payload.
rapidjson::Document event_paras(const std::string& payload) {
  rapidjson::Document document;
  document.Parse(payload.c_str());
  rapidjson::Document paras;
  if (document.IsObject() && document["services"][0].HasMember("paras")) {
    paras.CopyFrom(document["services"][0]["paras"], paras.GetAllocator());
  }
  return paras;
}

bool write_bytes(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  return static_cast<bool>(out);
}

bool has_type(const std::string& payload, const char* type) {
  return payload.find(std::string("\"") + type + "\"") != std::string::npos;
}

}  // namespace

TEST_GROUP_BASE(IotdaFiles, IotdaHttpsFixture) {
  SteadyClock clock;
  SeededRandom random;
  RecordingLog log;
  ports::MbedtlsHashing hashing;
  std::unique_ptr<ports::CurlHttpClient> http;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<transfer::TransferManager> manager;
  std::unique_ptr<ports::PahoTransport> transport;
  std::unique_ptr<Client> client;
  std::unique_ptr<iotda::OtaUpgrader> upgrader;
  std::unique_ptr<iotda::FileManager> files;
  std::mutex mutex;
  std::string firmware_version = "1.0.0";
  std::vector<std::string> installed;
  std::optional<iotda::FileTransferResult> uploaded;  ///< Guarded by mutex.

  void setup() override {
    start_https_world(kToken, kGatewayId);
    ports::CurlHttpClientOptions options;
    options.ca_file = certificates.ca_file;
    http = std::move(ports::CurlHttpClient::create(options)).value();
    runtime = std::make_unique<Runtime>(clock);
    manager = std::make_unique<transfer::TransferManager>(
        *runtime, transfer::DownloaderPorts{http.get(), &hashing, &clock, nullptr, &log, &random});
    start_dock();
  }
  void teardown() override {
    files.reset();
    upgrader.reset();
    if (manager) manager->shutdown();
    client.reset();
    transport.reset();
    manager.reset();
    runtime.reset();
    stop_https_world();
  }

  void start_dock() {
    transport = std::move(ports::PahoTransport::create(transport_options(broker->uri(), kGatewayId))).value();
    iotda::ProfileOptions profile;
    profile.gateway_sn = kDockSn;
    profile.gateway_device_id = kGatewayId;
    ClientOptions options;
    options.gateway.sn = kDockSn;
    options.gateway.domain = "3";
    options.gateway.type = 2;
    options.profile = iotda::make_profile(profile).value();
    client = Client::create(std::move(options), port::Platform{&clock, &random, &log, nullptr}, *transport, *runtime)
                 .value();
    iotda::OtaOptions ota;
    ota.download_dir = directory.path();
    ota.versions = [this](const std::string&) {
      std::lock_guard<std::mutex> lock(mutex);
      return iotda::DeviceVersions{"sw-1", firmware_version};
    };
    ota.installer = [this](const iotda::OtaPackage& package, const std::string& path) {
      std::lock_guard<std::mutex> lock(mutex);
      installed.push_back(file_bytes(path));
      firmware_version = package.version;
      return iotda::ota_result::kSuccess;
    };
    upgrader = std::make_unique<iotda::OtaUpgrader>(*client, *manager, ota);
    upgrader->attach();
    files = std::make_unique<iotda::FileManager>(*client, *manager, *runtime);
    files->attach();
    CHECK_TRUE(client->start());
    CHECK_FALSE(cloud->wait_for("events/up").empty());  // the sub-device status: connected and subscribed
  }

  /// Sends a firmware_upgrade of `content` served at `location` with `token` and `sign`.
  void send_upgrade(const std::string& location, const std::string& content, const std::string& token,
                    const std::string& sign) {
    cloud->publish("events/down",
                   R"({"services":[{"service_id":"$ota","event_type":"firmware_upgrade","paras":{"version":"2.0.0",)"
                   R"("url":")" +
                       nginx->https_url(location) + R"(","file_size":)" + std::to_string(content.size()) +
                       R"(,"file_name":"fw.bin","access_token":")" + token + R"(","expires":86400,"sign":")" + sign +
                       R"("}}]})");
  }
  /// The upgrade_progress_reports up to the one that ends the upgrade (a failure, or progress 100).
  std::vector<std::string> progress_until_end() {
    CHECK_TRUE(cloud->wait_until([](const std::string& topic, const std::string& payload) {
      if (topic.find("/events/up") == std::string::npos || !has_type(payload, "upgrade_progress_report")) return false;
      auto paras = event_paras(payload);
      return paras["result_code"].GetInt() != 0 || paras["progress"].GetInt() == 100;
    }));
    std::vector<std::string> reports;
    for (const auto& payload : cloud->payloads("events/up")) {
      if (has_type(payload, "upgrade_progress_report")) reports.push_back(payload);
    }
    return reports;
  }
  std::size_t installs() {
    std::lock_guard<std::mutex> lock(mutex);
    return installed.size();
  }
};

TEST(IotdaFiles, AnUpgradeComesOverHttpsWithTheBearerTokenIsVerifiedInstalledAndReported) {
  const std::string firmware = deterministic_bytes(3u * 1024u * 1024u, 77);
  CHECK_TRUE(nginx->write_file("fw.bin", firmware));
  send_upgrade("/auth/fw.bin", firmware, kToken, ports::sha256_hex(firmware));
  auto reports = progress_until_end();
  CHECK_TRUE(reports.size() >= 3);
  int previous = -1;
  for (const auto& report : reports) {
    auto paras = event_paras(report);
    LONGS_EQUAL(0, paras["result_code"].GetInt());
    CHECK_TRUE(paras["progress"].GetInt() > previous);
    previous = paras["progress"].GetInt();
  }
  STRCMP_EQUAL("1.0.0", event_paras(reports.front())["version"].GetString());
  STRCMP_EQUAL("2.0.0", event_paras(reports.back())["version"].GetString());
  CHECK_TRUE(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "version_report") && payload.find("\"fw_version\":\"2.0.0\"") != std::string::npos;
  }));
  {
    std::lock_guard<std::mutex> lock(mutex);
    LONGS_EQUAL(1, installed.size());
    CHECK_TRUE(installed[0] == firmware);
  }
  bool fetched = false;
  for (const auto& line : nginx->access_log_lines(1))
    fetched = fetched || line.find("GET /auth/fw.bin 200") != std::string::npos;
  CHECK_TRUE(fetched);
}

TEST(IotdaFiles, AWrongTokenIsRefusedByTheServerAndTheUpgradeReportsADownloadFailure) {
  const std::string firmware = deterministic_bytes(64u * 1024u, 78);
  CHECK_TRUE(nginx->write_file("fw.bin", firmware));
  send_upgrade("/auth/fw.bin", firmware, "not-the-token", ports::sha256_hex(firmware));
  auto reports = progress_until_end();
  auto last = event_paras(reports.back());
  LONGS_EQUAL(iotda::ota_result::kDownloadTimeout, last["result_code"].GetInt());
  STRCMP_EQUAL("1.0.0", last["version"].GetString());
  LONGS_EQUAL(0, installs());
  bool refused = false;
  for (const auto& line : nginx->access_log_lines(1))
    refused = refused || line.find("GET /auth/fw.bin 401") != std::string::npos;
  CHECK_TRUE(refused);
}

TEST(IotdaFiles, APackageWhoseSha256DiffersFromTheSignIsNotInstalled) {
  const std::string firmware = deterministic_bytes(64u * 1024u, 79);
  CHECK_TRUE(nginx->write_file("fw.bin", firmware));
  send_upgrade("/auth/fw.bin", firmware, kToken, ports::sha256_hex("another package"));
  auto reports = progress_until_end();
  LONGS_EQUAL(iotda::ota_result::kVerifyFailed, event_paras(reports.back())["result_code"].GetInt());
  LONGS_EQUAL(0, installs());
  CHECK_FALSE(std::filesystem::exists(directory.path() + "/iotda-ota-" + kDockSn + ".bin"));
}

TEST(IotdaFiles, AFileGoesUpWithOnePutToThePresignedUrlAndComesBackVerified) {
  const std::string content = deterministic_bytes(256u * 1024u, 80);
  const std::string path = directory.file("flight.log");
  CHECK_TRUE(write_bytes(path, content));
  iotda::FileUpload upload;
  upload.device_sn = kDockSn;
  upload.path = path;
  CHECK_TRUE(files->upload(upload, [&](const iotda::FileTransferResult& result) {
    std::lock_guard<std::mutex> lock(mutex);
    uploaded = result;
  }));
  CHECK_TRUE(cloud->wait_until(
      [](const std::string&, const std::string& payload) { return has_type(payload, "get_upload_url"); }));
  cloud->publish("events/down", R"({"services":[{"service_id":"$file_manager","event_type":"get_upload_url_response",)"
                                R"("paras":{"url":")" +
                                    nginx->https_url("/upload/flight.log?X-Amz-Signature=abc") +
                                    R"(","bucket_name":"obs","object_name":"flight.log","expire":3600}}]})");
  CHECK_TRUE(cloud->wait_until(
      [](const std::string&, const std::string& payload) { return has_type(payload, "upload_result_report"); }));
  std::string report;
  for (const auto& payload : cloud->payloads("events/up")) {
    if (has_type(payload, "upload_result_report")) report = payload;
  }
  auto paras = event_paras(report);
  LONGS_EQUAL(0, paras["result_code"].GetInt());
  LONGS_EQUAL(201, paras["status_code"].GetInt());
  STRCMP_EQUAL("flight.log", paras["object_name"].GetString());
  CHECK_TRUE(file_bytes(nginx->uploads_directory() + "/flight.log") == content);

  // And down again, verified by the SHA-256 the platform names.
  CHECK_TRUE(nginx->write_file("flight.log", content));
  iotda::FileDownload download;
  download.device_sn = kDockSn;
  download.file_name = "flight.log";
  download.destination = directory.file("fetched.log");
  CHECK_TRUE(files->download(download, [](const iotda::FileTransferResult&) {}));
  CHECK_TRUE(cloud->wait_until(
      [](const std::string&, const std::string& payload) { return has_type(payload, "get_download_url"); }));
  cloud->publish("events/down",
                 R"({"services":[{"service_id":"$file_manager","event_type":"get_download_url_response",)"
                 R"("paras":{"url":")" +
                     nginx->https_url("/files/flight.log") +
                     R"(","object_name":"flight.log","file_attributes":{"hash_code":")" + ports::sha256_hex(content) +
                     R"("}}}]})");
  CHECK_TRUE(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "download_result_report") && payload.find("\"result_code\":0") != std::string::npos;
  }));
  CHECK_TRUE(file_bytes(directory.file("fetched.log")) == content);
  std::lock_guard<std::mutex> lock(mutex);
  CHECK_TRUE(uploaded.has_value() && uploaded->status.is_ok());
}
