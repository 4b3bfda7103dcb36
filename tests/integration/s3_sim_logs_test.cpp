// dock-sim's logs on real object storage: `dock-cloud logs SN` lists the boot logs of the dock and its aircraft,
// starts their upload to s3rver with the store's key pair, and follows fileupload_progress to the end; each
// object lands under exactly the key its progress announced, with the bytes the dock generated (and listed the
// size of). A fileupload_update cancel stops a slow upload: the run ends canceled and no whole object appears.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "s3_sim_session.hpp"
#include "sim_test_groups.hpp"

using namespace simtest;

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The files the dock wrote for uploads, by content.
std::set<std::string> written_logs(const std::string& files_dir) {
  std::set<std::string> logs;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(files_dir + "/" + kS3Dock + "/logs", error)) {
    logs.insert(read_all(entry.path()));
  }
  return logs;
}

// output.ext.files of a fileupload_progress event.
const rapidjson::Value& files_of(const Seen& event) {
  static const rapidjson::Value kEmpty(rapidjson::kArrayType);
  const rapidjson::Value* files = data_at(event, "output.ext.files");
  return files != nullptr && files->IsArray() ? *files : kEmpty;
}

// The bytes fileupload_list announced per module: the sum of its logs' sizes.
std::map<std::string, std::int64_t> listed_bytes(const Seen& reply) {
  std::map<std::string, std::int64_t> bytes;
  const rapidjson::Value* files = data_at(reply, "files");
  if (files == nullptr || !files->IsArray()) return bytes;
  for (const auto& device : files->GetArray()) {
    std::int64_t sum = 0;
    for (const auto& log : device["list"].GetArray()) sum += log["size"].GetInt64();
    bytes[device["module"].GetString()] = sum;
  }
  return bytes;
}

// `list` entries of the boot indexes "120,121".
std::string boot_list(const std::string& boots) {
  std::string list;
  std::size_t start = 0;
  while (start < boots.size()) {
    std::size_t end = std::min(boots.find(',', start), boots.size());
    list += std::string(list.empty() ? "" : ",") + R"({"boot_index":)" + boots.substr(start, end - start) + "}";
    start = end + 1;
  }
  return list;
}

// fileupload_start data for the dock's boots `boots` ("120,121") into s3rver under `key`.
std::string start_data(const docklink::test::S3rverProcess& server, const std::string& key, const std::string& boots) {
  const auto& keys = server.options();
  return R"({"bucket":")" + keys.bucket + R"(","region":"us-east-1","provider":"minio","endpoint":")" +
         server.endpoint() + R"(","file_type":"text_log","credentials":{"access_key_id":")" + keys.access_key +
         R"(","access_key_secret":")" + keys.secret + R"(","expire":3600,"security_token":""},)" +
         R"("params":{"files":[{"object_key":")" + key + R"(","module":"3","list":[)" + boot_list(boots) + "]}]}}";
}

}  // namespace

TEST_GROUP_BASE(S3SimLogs, SimTestGroup) {
  std::unique_ptr<S3SimSession> session;
  void setup() override {
    SimTestGroup::setup();
    if (docklink::test::S3rverProcess::missing()) TEST_EXIT;
  }
  void start(std::vector<std::string> extra) {
    extra.insert(extra.end(), {"--speed", "100", "--osd-period-ms", "200"});
    session = std::make_unique<S3SimSession>(extra);
    CHECK_TRUE_TEXT(session->ready(), session->diagnostics().c_str());
  }
  void teardown() override {
    session.reset();
    SimTestGroup::teardown();
  }
  // The fileupload_progress of `bid` whose output.status is `status`; json == nullptr when none came.
  // The statuses of the fileupload_progress events of `bid` so far, for a failure's message: this test failed a
  // few times on a loaded machine without the canceled event, and the log alone did not say what came instead.
  std::string progress_seen(const std::string& bid) {
    std::string statuses = "--- fileupload_progress of " + bid + ":";
    auto of_bid = [&](const Seen& seen) { return is_event(seen, "fileupload_progress") && seen.str("bid") == bid; };
    for (const Seen& seen : session->cloud().all(of_bid)) statuses += " " + status_of(seen);
    return statuses + "\n";
  }

  Seen progress(const std::string& bid, const std::string& status) {
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, "fileupload_progress") && (bid.empty() || seen.str("bid") == bid) &&
                 status_of(seen) == status;
        },
        30s);
  }
};

TEST(S3SimLogs, LogsCommandPutsEveryListedLogInTheBucketUnderTheAnnouncedKey) {
  start({});
  auto console = session->console({"--timeout-s", "30", "logs", kS3Dock});
  int exit_code = console->wait_exit(60s);
  std::string output;
  for (const auto& line : console->lines()) output += line + "\n";
  LONGS_EQUAL_TEXT(0, exit_code, (output + session->console_errors() + session->logs()).c_str());
  CHECK_FALSE(console->wait_line(S3SimSession::has("logs: ok result 0"), 1s).empty());

  Seen done = progress("", "ok");
  CHECK_TRUE_TEXT(done.json != nullptr, session->logs().c_str());
  Seen list = session->cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kServicesReply && seen.str("method") == "fileupload_list";
  });
  CHECK_TRUE(list.json != nullptr);
  std::map<std::string, std::int64_t> listed = listed_bytes(list);
  const rapidjson::Value& files = files_of(done);
  LONGS_EQUAL(2, files.Size());  // the aircraft's logs and the dock's, one object each
  std::set<std::string> bodies;
  for (const auto& file : files.GetArray()) {
    std::string key = file["key"].GetString(), module = file["module"].GetString();
    STRCMP_EQUAL("ok", file["progress"]["status"].GetString());
    LONGS_EQUAL(0, file["progress"]["result"].GetInt());
    // Under the dock's SN and the run's bid, as the console announced it.
    STRCMP_EQUAL((std::string(kS3Dock) + "/logs/" + done.str("bid") + "/" + file["device_sn"].GetString() + "-" +
                  module + ".log")
                     .c_str(),
                 key.c_str());
    CHECK_FALSE(console->wait_line(S3SimSession::has("module " + module + ": ok result 0"), 1s).empty());
    CHECK_FALSE(console->wait_line(S3SimSession::has("key " + key), 1s).empty());

    docklink::test::RecordingSink object = session->get_object(key);
    LONGS_EQUAL_TEXT(200, object.status, object.body.c_str());
    CHECK_EQUAL(static_cast<std::uint64_t>(file["size"].GetInt64()), object.body.size());
    CHECK_EQUAL(listed[module], static_cast<std::int64_t>(object.body.size()));  // every listed boot, whole
    CHECK_TRUE(object.body.find(file["device_sn"].GetString()) != std::string::npos);
    CHECK_TRUE(object.body.find("[boot ") == 0);
    CHECK_EQUAL(32u, std::string(file["fingerprint"].GetString()).size());  // MD5 as hex
    bodies.insert(object.body);
  }
  // Each object holds exactly what the dock generated in its files directory.
  CHECK_TRUE(bodies == written_logs(session->files_dir()));

  // Every event of the run carries fileupload_start's bid and asks for no reply; each file's progress only grows
  // and ends at 100.
  std::vector<Seen> events = session->cloud().all(
      [&](const Seen& seen) { return is_event(seen, "fileupload_progress") && seen.str("bid") == done.str("bid"); });
  CHECK_TRUE(events.size() >= 2);
  STRCMP_EQUAL("in_progress", status_of(events.front()).c_str());
  std::map<std::string, int> percent;
  for (const Seen& event : events) {
    LONGS_EQUAL(0, int_at(*event.json, "need_reply", 0));
    for (const auto& file : files_of(event).GetArray()) {
      int now = file["progress"]["progress"].GetInt();
      CHECK_TRUE(now >= percent[file["key"].GetString()]);
      percent[file["key"].GetString()] = now;
    }
  }
  for (const auto& entry : percent) LONGS_EQUAL(100, entry.second);
}

TEST(S3SimLogs, CancelStopsASlowUploadBeforeTheObjectIsWhole) {
  // Three boots (about 240 KB) at 100 B/s: after its first read the upload waits far longer than the test runs.
  start({"--log-upload-bps", "100"});
  const std::string bid = "s3-log-cancel-1";
  std::string tid =
      session->cloud().send(docklink::TopicKind::kServices, kS3Dock, "fileupload_list", R"({"module_list":["3"]})");
  Seen list = session->cloud().wait_for([&](const Seen& seen) { return is_reply_to(seen, tid); });
  CHECK_TRUE(list.json != nullptr);
  std::size_t full_size = static_cast<std::size_t>(listed_bytes(list)["3"]);  // the three boots
  LONGS_EQUAL(
      0, session->result_of("fileupload_start", start_data(session->server(), "cancel/dock.log", "120,121,122"), bid));
  // One run at a time: the dock is exporting logs.
  LONGS_EQUAL(325009, session->result_of("fileupload_start", start_data(session->server(), "cancel/other.log", "121")));
  LONGS_EQUAL(0, session->result_of("fileupload_update", R"({"status":"cancel","module_list":["3"]})"));

  Seen canceled = progress(bid, "canceled");
  CHECK_TRUE_TEXT(canceled.json != nullptr, (progress_seen(bid) + session->logs()).c_str());
  LONGS_EQUAL(0, canceled.result());
  const rapidjson::Value& files = files_of(canceled);
  LONGS_EQUAL(1, files.Size());
  STRCMP_EQUAL("canceled", files[0]["progress"]["status"].GetString());
  CHECK_TRUE(files[0]["progress"]["progress"].GetInt() < 100);
  // s3rver keeps what it received of an aborted PUT as the object (S3 itself stores nothing): at most a part.
  docklink::test::RecordingSink partial = session->get_object("cancel/dock.log");
  CHECK_TEXT(partial.status == 404 || (partial.status == 200 && partial.body.size() < full_size),
             std::to_string(partial.body.size()).c_str());
  LONGS_EQUAL(404, session->get_object("cancel/other.log").status);

  // Nothing runs any more: cancelling is a no-op and a new run may start.
  LONGS_EQUAL(0, session->result_of("fileupload_update", R"({"status":"cancel","module_list":["3"]})"));
  LONGS_EQUAL(0, session->result_of("fileupload_start", start_data(session->server(), "cancel/again.log", "121")));
}
