// LogUploader on the loopback cloud with scripted S3: fileupload_start uploads each requested log under its
// object key with fileupload_progress per file (progress, rate, fingerprint, result) on the call's bid; missing
// logs and refused credentials end their file with DockLink's 3249xx codes (credentials never renewed, no loop);
// fileupload_update cancel stops the running and waiting files; a second start meanwhile is refused.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/dji/log_upload.hpp"
#include "docklink/result_codes.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::dji::LogRequest;
using docklink::dji::LogUploader;
using docklink::test::ClientRig;
using docklink::test::FakeResponse;
using docklink::test::kDockSn;
using docklink::test::s3_error;
using docklink::test::s3_ok;
using docklink::test::Seen;
using docklink::test::UploadWorld;

namespace {

constexpr const char* kStorage =
    R"("bucket":"logs","endpoint":"https://s3.example.com","provider":"minio","region":"us-east-1",)"
    R"("credentials":{"access_key_id":"AK1","access_key_secret":"secret-1","security_token":"token-1",)"
    R"("expire":1700003600000})";

std::string start_data(const std::string& files) {
  return std::string("{") + kStorage + R"(,"file_type":"text_log","params":{"files":[)" + files + "]}}";
}

std::string dock_logs = R"({"object_key":"uuid-1/DOCK0001/dock.log","module":"3","list":[{"boot_index":7},)"
                        R"({"boot_index":8}]})";
std::string aircraft_logs = R"({"object_key":"uuid-1/UAV/aircraft.log","module":"0","device_sn":"UAV1",)"
                            R"("list":[{"boot_index":3}]})";

struct LogWorld {
  LogWorld() {
    CHECK_TRUE(rig.start_and_wait_topology());
    docklink::transfer::TransferManagerOptions options;
    options.worker_threads = 1;
    options.download.waiter = &upload.waiter;
    manager = std::make_unique<docklink::transfer::TransferManager>(
        rig.runtime,
        docklink::transfer::DownloaderPorts{&upload.http, &upload.hashing, &upload.clock, &upload.store, &upload.log,
                                            nullptr},
        options);
    docklink::dji::LogUploaderOptions log_options;
    log_options.hashing = &upload.hashing;
    log_options.map_file = [this](const LogRequest& request) -> docklink::Result<std::string> {
      std::lock_guard<std::mutex> lock(mutex);
      mapped.push_back(request);
      if (request.module == missing_module) return docklink::Status(docklink::StatusCode::kNotFound, "no such log");
      std::string path = upload.files.directory + "/module-" + request.module + ".log";
      docklink::test::write_file(path, content_of(request.module));
      return path;
    };
    logs = std::make_unique<LogUploader>(
        *rig.client, *manager, docklink::port::Platform{&upload.clock, nullptr, nullptr, nullptr}, log_options);
    logs->attach();
  }
  ~LogWorld() {
    logs.reset();
    manager->shutdown();
  }

  static std::string content_of(const std::string& module) {
    return docklink::test::pattern_content(module == "3" ? 3000 : 1000, module == "3" ? 'd' : 'a');
  }
  // The fileupload_progress events of call `tid`, once its last one (status other than in_progress) arrived.
  std::vector<Seen> events_until_end(const std::string& tid) {
    auto of_call = [tid](const Seen& seen) {
      return seen.str("method") == "fileupload_progress" && seen.str("bid") == "bid-" + tid;
    };
    rig.cloud.wait_for("/events", [&](const Seen& seen) {
      return of_call(seen) && seen.payload.find(R"("output":{"status":"in_progress")") == std::string::npos;
    });
    std::vector<Seen> events;
    for (auto& seen : rig.cloud.all()) {
      if (seen.topic.find("/events") != std::string::npos && of_call(seen)) events.push_back(seen);
    }
    return events;
  }
  Seen reply_to(const std::string& tid) {
    return rig.cloud.wait_for("/services_reply", [tid](const Seen& seen) { return seen.str("tid") == tid; });
  }
  static const rapidjson::Value& file(const Seen& seen, rapidjson::SizeType i) {
    return (*seen.json)["data"]["output"]["ext"]["files"][i];
  }
  static std::string status(const Seen& seen) { return (*seen.json)["data"]["output"]["status"].GetString(); }

  ClientRig rig;
  UploadWorld upload;
  std::unique_ptr<docklink::transfer::TransferManager> manager;
  std::unique_ptr<LogUploader> logs;
  std::mutex mutex;
  std::vector<LogRequest> mapped;
  std::string missing_module = "none";
};

}  // namespace

TEST_GROUP(DjiLogUpload){};

TEST(DjiLogUpload, EachRequestedLogGoesUnderItsKeyWithProgressPerFile) {
  LogWorld world;
  world.upload.http.then(s3_ok());
  world.upload.http.then(s3_ok());
  world.rig.cloud.call_service(kDockSn, "fileupload_start", start_data(dock_logs + "," + aircraft_logs), "l1");
  LONGS_EQUAL(0, (*world.reply_to("l1").json)["data"]["result"].GetInt());
  auto events = world.events_until_end("l1");
  const Seen& last = events.back();
  STRCMP_EQUAL("ok", LogWorld::status(last).c_str());
  LONGS_EQUAL(0, last.result());
  CHECK_FALSE(last.json->HasMember("need_reply") && (*last.json)["need_reply"].GetInt() == 1);
  auto sent = world.upload.http.requests();
  LONGS_EQUAL(2, sent.size());
  STRCMP_EQUAL("https://s3.example.com/logs/uuid-1/DOCK0001/dock.log", sent[0].url.c_str());
  STRCMP_EQUAL("https://s3.example.com/logs/uuid-1/UAV/aircraft.log", sent[1].url.c_str());
  CHECK(world.upload.http.bodies()[0] == LogWorld::content_of("3"));
  const auto& dock = LogWorld::file(last, 0);
  STRCMP_EQUAL("DOCK0001", dock["device_sn"].GetString());
  STRCMP_EQUAL("3", dock["module"].GetString());
  STRCMP_EQUAL("uuid-1/DOCK0001/dock.log", dock["key"].GetString());
  LONGS_EQUAL(3000, dock["size"].GetInt());
  STRCMP_EQUAL(docklink::test::md5_hex_of(world.upload.files.directory, LogWorld::content_of("3")).c_str(),
               dock["fingerprint"].GetString());
  LONGS_EQUAL(100, dock["progress"]["progress"].GetInt());
  STRCMP_EQUAL("ok", dock["progress"]["status"].GetString());
  LONGS_EQUAL(0, dock["progress"]["result"].GetInt());
  CHECK(dock["progress"]["finish_time"].GetInt64() > 0);
  LONGS_EQUAL(1, dock["progress"]["current_step"].GetInt());
  LONGS_EQUAL(2, dock["progress"]["total_step"].GetInt());
  STRCMP_EQUAL("UAV1", LogWorld::file(last, 1)["device_sn"].GetString());
  std::lock_guard<std::mutex> lock(world.mutex);
  LONGS_EQUAL(2, world.mapped.size());
  LONGS_EQUAL(2, world.mapped[0].boot_indexes.size());
  LONGS_EQUAL(8, world.mapped[0].boot_indexes[1]);
  CHECK_FALSE(world.logs->busy());
}

TEST(DjiLogUpload, MissingLogAndRefusedCredentialsEndTheirFilesWithTheirCodes) {
  LogWorld world;
  world.missing_module = "3";
  world.upload.http.then(s3_error(403, "AccessDenied"));
  world.rig.cloud.call_service(kDockSn, "fileupload_start", start_data(dock_logs + "," + aircraft_logs), "l2");
  auto events = world.events_until_end("l2");
  const Seen& last = events.back();
  STRCMP_EQUAL("failed", LogWorld::status(last).c_str());
  LONGS_EQUAL(docklink::result_code::kLogFileUnavailable, last.result());  // the first failure's code
  STRCMP_EQUAL("failed", LogWorld::file(last, 0)["progress"]["status"].GetString());
  LONGS_EQUAL(docklink::result_code::kLogFileUnavailable, LogWorld::file(last, 0)["progress"]["result"].GetInt());
  LONGS_EQUAL(docklink::result_code::kLogCredentialsRefused, LogWorld::file(last, 1)["progress"]["result"].GetInt());
  LONGS_EQUAL(1, world.upload.http.requests().size());  // refused once: nothing to renew them with, no loop
}

TEST(DjiLogUpload, UpdateWithCancelStopsTheRunningAndWaitingFiles) {
  LogWorld world;
  world.upload.http.then([&](const docklink::port::HttpRequest&) {
    world.rig.cloud.call_service(kDockSn, "fileupload_update", R"({"status":"cancel","module_list":["3","0"]})", "u1");
    world.reply_to("u1");  // the cancel reached the running upload before this answer
    FakeResponse cut;
    cut.failure = docklink::Status(docklink::StatusCode::kShutdown, "fake: cancelled");
    return cut;
  });
  world.rig.cloud.call_service(kDockSn, "fileupload_start", start_data(dock_logs + "," + aircraft_logs), "l3");
  auto events = world.events_until_end("l3");
  const Seen& last = events.back();
  STRCMP_EQUAL("canceled", LogWorld::status(last).c_str());
  STRCMP_EQUAL("canceled", LogWorld::file(last, 0)["progress"]["status"].GetString());
  STRCMP_EQUAL("canceled", LogWorld::file(last, 1)["progress"]["status"].GetString());
  LONGS_EQUAL(1, world.upload.http.requests().size());  // the waiting file never started
  CHECK_FALSE(world.logs->busy());
}

TEST(DjiLogUpload, SecondStartWhileOneRunsIsRefusedAndABrokenOneIsInvalid) {
  LogWorld world;
  std::int32_t second_result = -1;
  world.upload.http.then([&](const docklink::port::HttpRequest&) {
    world.rig.cloud.call_service(kDockSn, "fileupload_start", start_data(aircraft_logs), "l5");
    second_result = (*world.reply_to("l5").json)["data"]["result"].GetInt();
    return s3_ok();
  });
  world.rig.cloud.call_service(kDockSn, "fileupload_start", start_data(dock_logs), "l4");
  STRCMP_EQUAL("ok", LogWorld::status(world.events_until_end("l4").back()).c_str());
  LONGS_EQUAL(docklink::result_code::kExportingLogs, second_result);
  world.rig.cloud.call_service(kDockSn, "fileupload_start", R"({"params":{"files":[]}})", "l6");
  LONGS_EQUAL(docklink::result_code::kInvalidParameter, (*world.reply_to("l6").json)["data"]["result"].GetInt());
}
