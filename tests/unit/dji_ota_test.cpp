// OtaUpgrader: ota_create becomes downloads on the TransferManager (scripted HTTP), ota_progress events on the
// loopback cloud that follow the bytes, the installer called with the verified file, and failures reported with
// their result code in a final failed event.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/dji/ota_job.hpp"
#include "docklink/result_codes.hpp"
#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::dji::OtaOptions;
using docklink::dji::OtaPackage;
using docklink::dji::OtaUpgrader;
using docklink::test::ClientRig;
using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::tid_is;

namespace {

struct OtaWorld {
  OtaWorld() {
    rig.cloud.set_auto_events_reply(true);
    docklink::transfer::TransferManagerOptions options;
    options.download = download.options;
    manager = std::make_unique<docklink::transfer::TransferManager>(rig.runtime, download.ports(), options);
    OtaOptions ota;
    ota.download_dir = download.directory;
    ota.installer = [this](const OtaPackage& package, const std::string& path) {
      std::lock_guard<std::mutex> lock(mutex);
      installed.emplace_back(package.sn, path.empty() ? std::string("<none>") : docklink::test::read_file(path));
      return install_code;
    };
    ota.on_finished = [this](std::int32_t code) {
      std::lock_guard<std::mutex> lock(mutex);
      finished.push_back(code);
      finished_changed.notify_all();
    };
    upgrader = std::make_unique<OtaUpgrader>(*rig.client, *manager, ota);
    upgrader->attach();
    CHECK_TRUE(rig.start_and_wait_topology());
  }
  // The client stops first: its user strand may still be running the handler that ends an upgrade, whose
  // callbacks write into this world's members.
  ~OtaWorld() {
    static_cast<void>(rig.client->stop());  // a stop's status is not what these tests check
    upgrader.reset();
    manager->shutdown();
  }

  // ota_create data for one device and its package.
  std::string device_json(const std::string& sn, const std::string& content, const std::string& md5) {
    return R"({"sn":")" + sn + R"(","product_version":"10.01.0001","file_url":"https://fw.example.com/)" + sn +
           R"(.bin","md5":")" + md5 + R"(","file_size":)" + std::to_string(content.size()) +
           R"(,"file_name":"fw.bin","firmware_upgrade_type":3})";
  }
  std::string md5(const std::string& content) { return docklink::test::md5_hex_of(download.directory, content); }

  // The ota_progress events of call `tid` (bid "bid-<tid>"), waiting for its terminal one.
  std::vector<Seen> events_until_end(const std::string& tid) {
    auto terminal = [&](const Seen& seen) {
      return seen.str("method") == "ota_progress" && seen.str("bid") == "bid-" + tid &&
             seen.payload.find(R"("status":"in_progress")") == std::string::npos;
    };
    rig.cloud.wait_for("/events", terminal);
    std::vector<Seen> events;
    for (auto& seen : rig.cloud.all()) {
      if (seen.str("method") == "ota_progress" && seen.str("bid") == "bid-" + tid) events.push_back(seen);
    }
    return events;
  }

  // The codes on_finished received, once it was called at least once (it runs after the final event went out).
  std::vector<std::int32_t> finished_codes() {
    std::unique_lock<std::mutex> lock(mutex);
    finished_changed.wait_for(lock, std::chrono::seconds(10), [&] { return !finished.empty(); });
    return finished;
  }

  static int percent(const Seen& seen) { return (*seen.json)["data"]["output"]["progress"]["percent"].GetInt(); }
  static std::string field(const Seen& seen, const char* name) {
    const auto& output = (*seen.json)["data"]["output"];
    if (std::string(name) == "status") return output["status"].GetString();
    return output["progress"][name].GetString();
  }

  ClientRig rig;
  DownloadWorld download;
  std::unique_ptr<docklink::transfer::TransferManager> manager;
  std::unique_ptr<OtaUpgrader> upgrader;
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> installed;
  std::int32_t install_code = 0;
  std::condition_variable finished_changed;
  std::vector<std::int32_t> finished;
};

}  // namespace

TEST_GROUP(DjiOta){};

TEST(DjiOta, TwoPackagesAreDownloadedVerifiedInstalledAndReportedByBytes) {
  OtaWorld world;
  std::string dock_fw = docklink::test::pattern_content(30'000, 'd');
  std::string aircraft_fw = docklink::test::pattern_content(10'000, 'u');
  world.download.http.then_serve(FakeFile{dock_fw});
  world.download.http.then_serve(FakeFile{aircraft_fw});
  std::string data = R"({"devices":[)" + world.device_json("DOCK0001", dock_fw, world.md5(dock_fw)) + "," +
                     world.device_json("UAV0001", aircraft_fw, world.md5(aircraft_fw)) + "]}";
  world.rig.cloud.call_service(kDockSn, "ota_create", data, "ota1");
  auto events = world.events_until_end("ota1");
  CHECK_TRUE(events.size() >= 3);
  STRCMP_EQUAL("ok", OtaWorld::field(events.back(), "status").c_str());
  LONGS_EQUAL(0, events.back().result());
  // Download progress rises with the bytes: the dock's package is 75 % of all bytes, so its end reads 75.
  bool saw_75 = false;
  int previous = -1;
  for (const auto& seen : events) {
    if (OtaWorld::field(seen, "step_key") != "download_firmware") continue;
    CHECK(OtaWorld::percent(seen) > previous);
    previous = OtaWorld::percent(seen);
    saw_75 = saw_75 || previous == 75;
  }
  CHECK_TRUE(saw_75);
  LONGS_EQUAL(100, previous);
  STRCMP_EQUAL("upgrade_firmware", OtaWorld::field(events[events.size() - 2], "step_key").c_str());
  CHECK_TRUE(world.finished_codes() == std::vector<std::int32_t>{0});  // once, after the final event
  std::lock_guard<std::mutex> lock(world.mutex);
  LONGS_EQUAL(2, world.installed.size());
  STRCMP_EQUAL("DOCK0001", world.installed[0].first.c_str());
  CHECK_TRUE(world.installed[0].second == dock_fw);
  CHECK_TRUE(world.installed[1].second == aircraft_fw);
  CHECK_FALSE(world.upgrader->busy());
}

TEST(DjiOta, DigestMismatchFailsWithPackageCorruptAndInstallsNothing) {
  OtaWorld world;
  std::string firmware = docklink::test::pattern_content(20'000);
  world.download.http.then_serve(FakeFile{firmware}, 2);  // the engine fetches once more after a mismatch
  std::string wrong = world.md5(firmware + "x");
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[)" + world.device_json("DOCK0001", firmware, wrong) + "]}", "bad");
  auto events = world.events_until_end("bad");
  STRCMP_EQUAL("failed", OtaWorld::field(events.back(), "status").c_str());
  LONGS_EQUAL(docklink::result_code::kUpgradePackageCorrupt, events.back().result());
  STRCMP_EQUAL("download_firmware", OtaWorld::field(events.back(), "step_key").c_str());
  // The firmware hears of the failure too, so it can leave its upgrading state.
  CHECK_TRUE(world.finished_codes() == std::vector<std::int32_t>{docklink::result_code::kUpgradePackageCorrupt});
  std::lock_guard<std::mutex> lock(world.mutex);
  LONGS_EQUAL(0, world.installed.size());
}

TEST(DjiOta, HttpFailureFailsWithDownloadFailed) {
  OtaWorld world;
  std::string firmware = docklink::test::pattern_content(5'000);
  docklink::test::FakeResponse missing;
  missing.status = 404;
  world.download.http.then(missing);
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[)" + world.device_json("DOCK0001", firmware, world.md5(firmware)) + "]}",
                               "gone");
  auto events = world.events_until_end("gone");
  STRCMP_EQUAL("failed", OtaWorld::field(events.back(), "status").c_str());
  LONGS_EQUAL(docklink::result_code::kUpgradeDownloadFailed, events.back().result());
}

TEST(DjiOta, InstallerFailureEndsTheJobWithItsCode) {
  OtaWorld world;
  world.install_code = docklink::result_code::kUpgradeInstallFailed;
  std::string firmware = docklink::test::pattern_content(5'000);
  world.download.http.then_serve(FakeFile{firmware});
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[)" + world.device_json("DOCK0001", firmware, world.md5(firmware)) + "]}",
                               "refused");
  auto events = world.events_until_end("refused");
  STRCMP_EQUAL("failed", OtaWorld::field(events.back(), "status").c_str());
  STRCMP_EQUAL("upgrade_firmware", OtaWorld::field(events.back(), "step_key").c_str());
  LONGS_EQUAL(docklink::result_code::kUpgradeInstallFailed, events.back().result());
}

TEST(DjiOta, CallsWithoutAVerifiableDigestAreRefused) {
  OtaWorld world;
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[)" + world.device_json("DOCK0001", "abc", "not-an-md5") + "]}", "nomd5");
  Seen reply = world.rig.cloud.wait_for("/services_reply", tid_is("nomd5"));
  LONGS_EQUAL(docklink::result_code::kInvalidParameter, reply.result());
  LONGS_EQUAL(0, world.download.http.requests().size());
}

TEST(DjiOta, ConsistencyUpgradeWithoutPackageGoesStraightToTheInstaller) {
  OtaWorld world;
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[{"sn":"DOCK0001","product_version":"1","firmware_upgrade_type":2}]})",
                               "consistency");
  auto events = world.events_until_end("consistency");
  STRCMP_EQUAL("ok", OtaWorld::field(events.back(), "status").c_str());
  std::lock_guard<std::mutex> lock(world.mutex);
  LONGS_EQUAL(1, world.installed.size());
  STRCMP_EQUAL("<none>", world.installed[0].second.c_str());
  LONGS_EQUAL(0, world.download.http.requests().size());
}

TEST(DjiOta, ConsistencyUpgradeEndsWithOnFinishedOnce) {
  OtaWorld world;
  world.rig.cloud.call_service(kDockSn, "ota_create",
                               R"({"devices":[{"sn":"DOCK0001","product_version":"1","firmware_upgrade_type":2}]})",
                               "consistency");
  world.events_until_end("consistency");
  CHECK_TRUE(world.finished_codes() == std::vector<std::int32_t>{0});
}
