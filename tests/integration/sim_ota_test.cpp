// dock-sim firmware upgrades that really download: a private nginx serves the package over HTTPS with a CA made for
// the test (handed to dock-sim with --http-ca), `dock-cloud ota` starts the upgrade and follows ota_progress, and
// the package lands in dock-sim's --files-dir with its MD5 checked before the simulated dock takes its version.
#include <memory>
#include <string>
#include <vector>

#include "sim_https_group.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

using Json = std::shared_ptr<rapidjson::Document>;

constexpr int kUpgradePackageCorrupt = 312902;

// 64 KiB that are not all alike, so that a byte out of place changes the MD5.
std::string package_content() {
  std::string content(64 * 1024, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 31 + i / 251) & 0xff);
  return content;
}

/// What one `dock-cloud --json ota` run printed, and how it ended.
struct OtaRun {
  int exit_code = -1;
  std::string text;             ///< stdout and stderr, for failed checks.
  std::vector<Json> progress;   ///< Its "progress" lines, in order.
  std::vector<Json> downloads;  ///< The progress lines of step download_firmware.
  std::string status() const { return progress.empty() ? "" : (*progress.back())["status"].GetString(); }
  int result() const { return progress.empty() ? -100 : (*progress.back())["result"].GetInt(); }
};

}  // namespace

// Each test's nginx serves the package as fw.bin.
class OtaGroup : public SimHttpsGroup {
 public:
  void setup() override {
    SimHttpsGroup::setup();
    CHECK_TRUE(nginx->write_file("fw.bin", content));
  }

 protected:
  std::string package_path() const { return files_dir() + "/ota-" + kSn + ".bin"; }

  // Runs `dock-cloud --json --no-reply ota kSn VERSION URL MD5 SIZE` to its end (the test cloud answers the events).
  OtaRun ota(const std::string& version, const std::string& url, const std::string& md5) {
    std::vector<std::string> args = {"--broker",    session->broker_uri(),
                                     "--json",      "--no-reply",
                                     "--timeout-s", "30",
                                     "ota",         kSn,
                                     version,       url,
                                     md5,           std::to_string(content.size())};
    ChildProcess console("dock-cloud", args, directory.file("console.err"));
    OtaRun run;
    run.exit_code = console.wait_exit(120s);
    for (const auto& line : console.lines()) {
      run.text += line + "\n";
      auto json = std::make_shared<rapidjson::Document>();
      json->Parse(line.c_str());
      if (json->HasParseError() || !json->IsObject() || !json->HasMember("type")) continue;
      if (std::string((*json)["type"].GetString()) != "progress") continue;
      run.progress.push_back(json);
      if (json->HasMember("step_key") && std::string((*json)["step_key"].GetString()) == "download_firmware") {
        run.downloads.push_back(json);
      }
    }
    run.text += "--- stderr:\n" + file_text(directory.file("console.err")) + "--- dock-sim:\n" + session->sim_log();
    return run;
  }
  // A state message of the dock announcing `version` as its firmware.
  bool firmware_shown(const std::string& version, std::chrono::milliseconds timeout) {
    return session->cloud()
               .wait_for(
                   [&](const Seen& seen) {
                     return seen.kind == docklink::TopicKind::kState && seen.sn == kSn &&
                            string_in(seen, "firmware_version") == version;
                   },
                   timeout)
               .json != nullptr;
  }

  std::string content = package_content();
};

TEST_GROUP_BASE(SimOta, OtaGroup){};

TEST(SimOta, DownloadsThePackageOverHttpsReportsItsBytesAndInstallsIt) {
  // /slow/ sends 16 KiB/s: the 64 KiB take about 4 s, so progress reports (one a second) come from partial bytes.
  OtaRun run = ota("12.34.5678", nginx->https_url("/slow/fw.bin"), md5_hex(content));
  LONGS_EQUAL_TEXT(0, run.exit_code, run.text.c_str());
  STRCMP_EQUAL_TEXT("ok", run.status().c_str(), run.text.c_str());
  LONGS_EQUAL(0, run.result());
  LONGS_EQUAL(100, (*run.progress.back())["percent"].GetInt());

  // The download's percent follows the bytes: it only rises, passes through a partial value and ends at 100.
  CHECK_TRUE_TEXT(run.downloads.size() >= 2, run.text.c_str());
  int previous = -1;
  bool partial = false;
  for (const Json& line : run.downloads) {
    int percent = (*line)["percent"].GetInt();
    CHECK_TRUE_TEXT(percent > previous, run.text.c_str());
    partial = partial || (percent > 0 && percent < 100);
    previous = percent;
  }
  CHECK_TRUE_TEXT(partial, run.text.c_str());
  LONGS_EQUAL(100, previous);

  // The package is in --files-dir, byte for byte; the dock runs the new version and is idle again.
  std::string stored = file_text(package_path());
  LONGS_EQUAL(content.size(), stored.size());
  STRCMP_EQUAL(md5_hex(content).c_str(), md5_hex(stored).c_str());
  CHECK_TRUE(firmware_shown("12.34.5678", 10s));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));

  // Every state message of the upgrade carries the whole firmware group (docs/protocol.md#state-groups), the last
  // one the new version with the upgrade over.
  CHECK_TRUE(session->cloud()
                 .wait_for([](const Seen& seen) {
                   return seen.kind == docklink::TopicKind::kState && seen.sn == kSn &&
                          string_in(seen, "firmware_version") == "12.34.5678" &&
                          int_in(seen, "firmware_upgrade_status") == 0;
                 })
                 .json != nullptr);
  std::vector<Seen> firmware = session->cloud().all([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kState && seen.sn == kSn &&
           (data_at(seen, "firmware_version") != nullptr || data_at(seen, "firmware_upgrade_status") != nullptr ||
            data_at(seen, "compatible_status") != nullptr);
  });
  CHECK_TRUE(firmware.size() >= 3);  // at connect, upgrade started, installed (and upgrade over)
  for (const Seen& seen : firmware) {
    CHECK_TRUE(data_at(seen, "firmware_version") != nullptr && data_at(seen, "firmware_upgrade_status") != nullptr &&
               data_at(seen, "compatible_status") != nullptr);
  }
}

TEST(SimOta, WrongMd5FailsWithPackageCorruptAndInstallsNothing) {
  OtaRun run = ota("66.66.6666", nginx->https_url("/files/fw.bin"), md5_hex(content + "x"));
  LONGS_EQUAL_TEXT(1, run.exit_code, run.text.c_str());  // dock-cloud: the dock refused (failed job)
  STRCMP_EQUAL_TEXT("failed", run.status().c_str(), run.text.c_str());
  LONGS_EQUAL(kUpgradePackageCorrupt, run.result());
  CHECK_FALSE_TEXT(file_exists(package_path()), run.text.c_str());
  CHECK_FALSE(firmware_shown("66.66.6666", 1s));

  // The failure left the dock out of its upgrading state: the next upgrade, with the right MD5, goes through.
  run = ota("12.34.5679", nginx->https_url("/files/fw.bin"), md5_hex(content));
  LONGS_EQUAL_TEXT(0, run.exit_code, run.text.c_str());
  CHECK_TRUE(file_exists(package_path()));
  CHECK_TRUE(firmware_shown("12.34.5679", 10s));
}
