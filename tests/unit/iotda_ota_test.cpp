// iotda::OtaUpgrader on the loopback transport with scripted HTTP: version_query answered from the application's
// versions; an upgrade downloaded with its access token as a Bearer token, its SHA-256 sign and size checked,
// progress from the bytes, the installer handed the verified file, then progress 100 and the new version; and
// every failure reported once with IoTDA's result code.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/iotda/ota.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/crypto.hpp"
#include "download_fixture.hpp"
#include "iotda_client_options.hpp"
#include "iotda_loopback_cloud.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::FakeFile;
using docklink::test::IotdaSeen;

namespace {

/// A firmware_upgrade event for `object` (a device id) with the package `content`.
std::string upgrade_event(const std::string& object, const std::string& content, const std::string& sign,
                          const std::string& extra = {}) {
  return R"({"object_device_id":")" + object +
         R"(","services":[{"service_id":"$ota","event_type":"firmware_upgrade","paras":{"version":"v2",)" +
         R"("url":"https://fw.example.com:8943/packages/p1","file_size":)" + std::to_string(content.size()) +
         R"(,"file_name":"fw.bin","access_token":"tok-123","expires":86400,"sign":")" + sign + "\"" + extra + "}}]}";
}

/// Holds a scripted HTTP answer (on the transfer worker) until the test lets it go.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool asked = false;
  bool open = false;

  void wait_open() {
    std::unique_lock<std::mutex> lock(mutex);
    asked = true;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
  }
  bool wait_asked() {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), [this] { return asked; });
  }
  void let_go() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      open = true;
    }
    changed.notify_all();
  }
};

/// Opens its gate when it goes.
struct GateOpener {
  std::shared_ptr<Gate> gate;
  ~GateOpener() { gate->let_go(); }
};

struct IotdaOtaWorld {
  explicit IotdaOtaWorld(std::vector<std::string> report_on_connect = {}) {
    transfer::TransferManagerOptions options;
    options.download = download.options;
    manager = std::make_unique<transfer::TransferManager>(rig.runtime, download.ports(), options);
    iotda::OtaOptions ota;
    ota.download_dir = download.directory;
    ota.versions = [this](const std::string& sn) {
      std::lock_guard<std::mutex> lock(mutex);
      return iotda::DeviceVersions{"sw-1", sn == test::kDockSn ? dock_fw : "uav-1"};
    };
    ota.installer = [this](const iotda::OtaPackage& package, const std::string& path) {
      std::lock_guard<std::mutex> lock(mutex);
      installed.push_back(test::read_file(path));
      if (install_code == 0 && package.device_sn == test::kDockSn) dock_fw = package.version;
      return install_code;
    };
    ota.precheck = [this](const iotda::OtaPackage&) {
      std::lock_guard<std::mutex> lock(mutex);
      return precheck_code;
    };
    ota.report_on_connect = std::move(report_on_connect);
    upgrader = std::make_unique<iotda::OtaUpgrader>(*rig.client, *manager, ota);
    upgrader->attach();
    CHECK_TRUE(rig.client->start());
    CHECK_TRUE(test::eventually([&] { return rig.client->counters().connections_ready == 1; }));
  }
  ~IotdaOtaWorld() {
    upgrader.reset();
    manager->shutdown();
    cloud.reset();
  }

  static bool of_type(const IotdaSeen& seen, const char* type) {
    return seen.payload.find(std::string("\"") + type + "\"") != std::string::npos;
  }
  static const rapidjson::Value& paras(const IotdaSeen& seen) { return (*seen.json)["services"][0]["paras"]; }
  static bool terminal(const IotdaSeen& seen) {
    return of_type(seen, "upgrade_progress_report") &&
           (paras(seen)["result_code"].GetInt() != 0 || paras(seen)["progress"].GetInt() == 100);
  }
  /// The progress reports up to the upgrade's last one.
  std::vector<IotdaSeen> reports_until_end() {
    CHECK_TRUE(cloud->wait_for("events/up", terminal).json != nullptr);
    return cloud->all("events/up", [](const IotdaSeen& seen) { return of_type(seen, "upgrade_progress_report"); });
  }
  std::size_t installs() {
    std::lock_guard<std::mutex> lock(mutex);
    return installed.size();
  }

  test::ClientRig rig{test::iotda_options()};
  std::unique_ptr<test::IotdaLoopbackCloud> cloud =
      std::make_unique<test::IotdaLoopbackCloud>(rig.broker, test::kIotdaGatewayId);
  test::DownloadWorld download;
  std::unique_ptr<transfer::TransferManager> manager;
  std::unique_ptr<iotda::OtaUpgrader> upgrader;
  std::mutex mutex;
  std::string dock_fw = "v1";
  std::vector<std::string> installed;
  std::int32_t install_code = 0;
  std::int32_t precheck_code = 0;
};

}  // namespace

TEST_GROUP(IotdaOta){};

TEST(IotdaOta, VersionQueryIsAnsweredWithTheDevicesVersions) {
  IotdaOtaWorld world;
  world.cloud->publish("events/down", R"({"object_device_id":")" + std::string(test::kIotdaAircraftId) +
                                          R"(","services":[{"service_id":"$ota","event_type":"version_query"}]})");
  IotdaSeen report = world.cloud->wait_for(
      "events/up", [](const IotdaSeen& seen) { return IotdaOtaWorld::of_type(seen, "version_report"); });
  CHECK_TRUE(report.json != nullptr);
  STRCMP_EQUAL(test::kIotdaAircraftId, (*report.json)["object_device_id"].GetString());
  STRCMP_EQUAL("sw-1", IotdaOtaWorld::paras(report)["sw_version"].GetString());
  STRCMP_EQUAL("uav-1", IotdaOtaWorld::paras(report)["fw_version"].GetString());
}

TEST(IotdaOta, AnUpgradeIsFetchedWithItsTokenVerifiedInstalledAndReportedUpToTheNewVersion) {
  IotdaOtaWorld world;
  const std::string firmware = test::pattern_content(40'000);
  world.download.http.then_serve(FakeFile{firmware});
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware)));
  auto reports = world.reports_until_end();
  CHECK_TRUE(reports.size() >= 3);
  int previous = -1;
  for (const IotdaSeen& report : reports) {
    LONGS_EQUAL(0, IotdaOtaWorld::paras(report)["result_code"].GetInt());
    CHECK(IotdaOtaWorld::paras(report)["progress"].GetInt() > previous);
    previous = IotdaOtaWorld::paras(report)["progress"].GetInt();
  }
  LONGS_EQUAL(0, IotdaOtaWorld::paras(reports.front())["progress"].GetInt());
  STRCMP_EQUAL("v1", IotdaOtaWorld::paras(reports.front())["version"].GetString());  // the current one while fetching
  LONGS_EQUAL(99, IotdaOtaWorld::paras(reports[reports.size() - 2])["progress"].GetInt());  // all bytes, not installed
  STRCMP_EQUAL("v2", IotdaOtaWorld::paras(reports.back())["version"].GetString());
  IotdaSeen version = world.cloud->wait_for(
      "events/up", [](const IotdaSeen& seen) { return IotdaOtaWorld::of_type(seen, "version_report"); });
  STRCMP_EQUAL("v2", IotdaOtaWorld::paras(version)["fw_version"].GetString());
  auto requests = world.download.http.requests();
  LONGS_EQUAL(1, requests.size());
  bool bearer = false;
  for (const auto& header : requests[0].headers)
    bearer = bearer || (header.name == "Authorization" && header.value == "Bearer tok-123");
  CHECK_TRUE(bearer);
  std::lock_guard<std::mutex> lock(world.mutex);
  LONGS_EQUAL(1, world.installed.size());
  CHECK_TRUE(world.installed[0] == firmware);
  CHECK_FALSE(world.upgrader->busy());
}

TEST(IotdaOta, ADigestMismatchFailsWithVerificationFailedAndInstallsNothing) {
  IotdaOtaWorld world;
  const std::string firmware = test::pattern_content(20'000);
  world.download.http.then_serve(FakeFile{firmware}, 2);  // the engine fetches once more after a mismatch
  world.cloud->publish("events/down",
                       upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware + "x")));
  auto reports = world.reports_until_end();
  LONGS_EQUAL(iotda::ota_result::kVerifyFailed, IotdaOtaWorld::paras(reports.back())["result_code"].GetInt());
  STRCMP_EQUAL("v1", IotdaOtaWorld::paras(reports.back())["version"].GetString());
  LONGS_EQUAL(0, world.installs());
}

TEST(IotdaOta, AMissingOrMalformedSignFailsBeforeAnyDownload) {
  IotdaOtaWorld world;
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, "abc", "not-a-digest"));
  auto reports = world.reports_until_end();
  LONGS_EQUAL(iotda::ota_result::kVerifyFailed, IotdaOtaWorld::paras(reports.back())["result_code"].GetInt());
  LONGS_EQUAL(0, world.download.http.requests().size());
}

TEST(IotdaOta, ARefusedTokenFailsTheUpgradeAsADownloadFailure) {
  IotdaOtaWorld world;
  const std::string firmware = test::pattern_content(5'000);
  test::FakeResponse refused;
  refused.status = 401;
  world.download.http.then(refused);
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware)));
  auto reports = world.reports_until_end();
  LONGS_EQUAL(iotda::ota_result::kDownloadTimeout, IotdaOtaWorld::paras(reports.back())["result_code"].GetInt());
  LONGS_EQUAL(0, world.installs());
}

TEST(IotdaOta, TheInstallersCodeEndsTheUpgrade) {
  IotdaOtaWorld world;
  world.install_code = iotda::ota_result::kInstallFailed;
  const std::string firmware = test::pattern_content(5'000);
  world.download.http.then_serve(FakeFile{firmware});
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware)));
  auto reports = world.reports_until_end();
  LONGS_EQUAL(iotda::ota_result::kInstallFailed, IotdaOtaWorld::paras(reports.back())["result_code"].GetInt());
  LONGS_EQUAL(99, IotdaOtaWorld::paras(reports.back())["progress"].GetInt());  // where it stopped
  STRCMP_EQUAL("v1", IotdaOtaWorld::paras(reports.back())["version"].GetString());
}

TEST(IotdaOta, APrecheckRefusalOrTheSameVersionDownloadsNothing) {
  IotdaOtaWorld world;
  world.precheck_code = iotda::ota_result::kLowBattery;
  const std::string firmware = test::pattern_content(5'000);
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware)));
  auto reports = world.reports_until_end();
  LONGS_EQUAL(iotda::ota_result::kLowBattery, IotdaOtaWorld::paras(reports.back())["result_code"].GetInt());
  {
    std::lock_guard<std::mutex> lock(world.mutex);
    world.precheck_code = 0;
    world.dock_fw = "v2";
  }
  world.cloud->publish(
      "events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware), R"(,"task_id":"t2")"));
  IotdaSeen latest = world.cloud->wait_for("events/up", IotdaOtaWorld::terminal, 2);
  CHECK_TRUE(latest.json != nullptr);
  LONGS_EQUAL(iotda::ota_result::kAlreadyLatest, IotdaOtaWorld::paras(latest)["result_code"].GetInt());
  LONGS_EQUAL(0, world.download.http.requests().size());
}

TEST(IotdaOta, ParseRefusesWhatCannotBeFetched) {
  rapidjson::Document paras;
  paras.Parse(R"({"version":"v2","url":"ftp://x/y","sign":"00"})");
  CHECK_FALSE(iotda::parse_upgrade(test::kDockSn, "firmware_upgrade", paras));
  paras.Parse(R"({"url":"https://x/y"})");
  CHECK_FALSE(iotda::parse_upgrade(test::kDockSn, "firmware_upgrade", paras));
  paras.Parse(R"({"version":"v2","url":"https://x/y","file_size":-1})");
  CHECK_FALSE(iotda::parse_upgrade(test::kDockSn, "software_upgrade", paras));
  paras.Parse(R"({"version":"v2","url":"https://x/y"})");
  CHECK_FALSE(iotda::parse_upgrade("../etc", "firmware_upgrade", paras));
  CHECK_FALSE(iotda::parse_upgrade(test::kDockSn, "version_query", paras));
  auto v2 = iotda::parse_upgrade(test::kDockSn, "software_upgrade_v2", paras);
  CHECK_TRUE(v2);
  CHECK_TRUE(v2.value().software);
  CHECK_TRUE(v2.value().access_token.empty());
  CHECK_FALSE(iotda::sign_is_valid("abc"));
  CHECK_TRUE(iotda::sign_is_valid(ports::sha256_hex("x")));
}

TEST(IotdaOta, ASecondUpgradeWhileOneRunsIsAnsweredBusyAndTheFirstGoesOn) {
  IotdaOtaWorld world;
  const std::string firmware = test::pattern_content(30'000);
  // The first package's server holds its answer until the test lets it go: the upgrade stays in its download.
  auto gate = std::make_shared<Gate>();
  GateOpener opener{gate};  // after the world: a failed check still lets the worker go before the world shuts down
  world.download.http.then([gate, firmware](const port::HttpRequest& request) {
    gate->wait_open();
    return test::serve(FakeFile{firmware}, request);
  });
  world.cloud->publish("events/down", upgrade_event(test::kIotdaGatewayId, firmware, ports::sha256_hex(firmware)));
  CHECK_TRUE(gate->wait_asked());
  CHECK_TRUE(world.upgrader->busy());
  // Another version while the first downloads: refused at once with code 1, nothing fetched for it.
  const std::string other = test::pattern_content(10'000) + "other";
  world.cloud->publish(
      "events/down", upgrade_event(test::kIotdaGatewayId, other, ports::sha256_hex(other), R"(,"task_id":"t-second")"));
  IotdaSeen busy = world.cloud->wait_for("events/up", [](const IotdaSeen& seen) {
    return IotdaOtaWorld::of_type(seen, "upgrade_progress_report") &&
           IotdaOtaWorld::paras(seen)["result_code"].GetInt() != 0;
  });
  CHECK_TRUE(busy.json != nullptr);
  LONGS_EQUAL(iotda::ota_result::kBusy, IotdaOtaWorld::paras(busy)["result_code"].GetInt());
  STRCMP_EQUAL("v1", IotdaOtaWorld::paras(busy)["version"].GetString());
  gate->let_go();
  // The first one was not disturbed: it ends installed, at 100.
  IotdaSeen done = world.cloud->wait_for("events/up", [](const IotdaSeen& seen) {
    return IotdaOtaWorld::of_type(seen, "upgrade_progress_report") &&
           IotdaOtaWorld::paras(seen)["progress"].GetInt() == 100;
  });
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(0, IotdaOtaWorld::paras(done)["result_code"].GetInt());
  LONGS_EQUAL(1, world.installs());
  LONGS_EQUAL(1, world.download.http.requests().size());
  CHECK_FALSE(world.upgrader->busy());
}

TEST(IotdaOta, VersionsNamedForConnectAreReportedAfterEveryConnect) {
  IotdaOtaWorld world({test::kDockSn, test::kAircraftSn});
  auto version_reports = [&world] {
    return world.cloud->all("events/up",
                            [](const IotdaSeen& seen) { return IotdaOtaWorld::of_type(seen, "version_report"); });
  };
  CHECK_TRUE(world.cloud
                 ->wait_for("events/up",
                            [](const IotdaSeen& seen) {
                              return IotdaOtaWorld::of_type(seen, "version_report") &&
                                     seen.payload.find(test::kIotdaAircraftId) != std::string::npos;
                            })
                 .json != nullptr);
  auto first = version_reports();
  LONGS_EQUAL(2, first.size());
  CHECK_FALSE(first[0].json->HasMember("object_device_id"));  // the gateway itself
  STRCMP_EQUAL("v1", IotdaOtaWorld::paras(first[0])["fw_version"].GetString());
  STRCMP_EQUAL(test::kIotdaAircraftId, (*first[1].json)["object_device_id"].GetString());
  STRCMP_EQUAL("uav-1", IotdaOtaWorld::paras(first[1])["fw_version"].GetString());
  // A reconnect sends both again.
  LONGS_EQUAL(1, world.rig.broker.drop_connection(test::kDockSn));
  CHECK_TRUE(test::eventually([&] { return version_reports().size() == 4; }));
}

TEST(IotdaOta, WithoutDevicesForConnectNoVersionIsReportedUnasked) {
  IotdaOtaWorld world;
  // The connection is ready (the world waited for it): a query is answered, and it is the only report.
  world.cloud->publish("events/down", R"({"services":[{"service_id":"$ota","event_type":"version_query"}]})");
  CHECK_TRUE(
      world.cloud
          ->wait_for("events/up", [](const IotdaSeen& seen) { return IotdaOtaWorld::of_type(seen, "version_report"); })
          .json != nullptr);
  LONGS_EQUAL(
      1, world.cloud
             ->all("events/up", [](const IotdaSeen& seen) { return IotdaOtaWorld::of_type(seen, "version_report"); })
             .size());
}
