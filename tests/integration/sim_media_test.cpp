// dock-sim logs, media and live switches: fileupload_list and the checks of fileupload_start/update,
// storage_config_get after a flight task without object storage, live_lens_change and live_camera_change in
// live_status.
#include <filesystem>

#include "paho_test_support.hpp"  // TempDirectory
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

// fileupload_start data for one file of `module` with the given boot indexes (as the demo cloud sends it).
std::string start_data(const std::string& module, const std::string& boot_indexes) {
  std::string list;
  std::size_t start = 0;
  while (start < boot_indexes.size()) {
    std::size_t end = boot_indexes.find(',', start);
    if (end == std::string::npos) end = boot_indexes.size();
    if (!list.empty()) list += ",";
    list += R"({"boot_index":)" + boot_indexes.substr(start, end - start) + "}";
    start = end + 1;
  }
  return R"({"bucket":"logs","region":"local","provider":"minio","endpoint":"http://127.0.0.1:9000",)"
         R"("file_type":"text_log","credentials":{"access_key_id":"id","access_key_secret":"secret",)"
         R"("expire":3600,"security_token":"token"},"params":{"files":[{"object_key":"logs/)" +
         module + R"(.zip","module":")" + module + R"(","list":[)" + list + "]}]}}";
}

// The files of a fileupload_list reply: directly under data, as the protocol puts them (docs/protocol.md#replies).
const rapidjson::Value* files_of(const Seen& reply) {
  const rapidjson::Value* files = data_at(reply, "files");
  return files != nullptr && files->IsArray() ? files : nullptr;
}

}  // namespace

// Each test starts its dock at its own speed. Uploads of logs need an object store: S3SimLogs
// (s3_sim_logs_test.cpp) runs them against s3rver.
class MediaLogsGroup : public SimSessionGroup {
 protected:
  void start(const char* speed) { start_session({"--speed", speed, "--osd-period-ms", "200"}); }
};

TEST_GROUP_BASE(SimMediaLogs, MediaLogsGroup){};

TEST(SimMediaLogs, ListRepliesBootLogsPerRequestedModule) {
  start("100");
  Seen reply = session->reply_to(session->call("fileupload_list", R"({"module_list":["0","3"]})"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  const rapidjson::Value* files = files_of(reply);
  CHECK_TRUE(files != nullptr);
  LONGS_EQUAL(2, files->Size());
  const std::string sns[] = {kAircraft, kSn};
  const char* modules[] = {"0", "3"};
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    const rapidjson::Value& file = (*files)[i];
    STRCMP_EQUAL(sns[i].c_str(), file["device_sn"].GetString());
    STRCMP_EQUAL(modules[i], file["module"].GetString());
    LONGS_EQUAL(0, int_at(file, "result"));
    const rapidjson::Value& list = file["list"];
    CHECK_TRUE(list.IsArray() && list.Size() >= 1);
    for (const auto& log : list.GetArray()) {
      CHECK_TRUE(int_at(log, "boot_index", -1) >= 0);
      CHECK_TRUE(log["start_time"].GetInt64() < log["end_time"].GetInt64());
      CHECK_TRUE(log["size"].GetInt64() > 0);
    }
    // Boot indexes tell the aircraft's logs from the dock's.
    CHECK_TRUE(i == 0 ? int_at(list[0], "boot_index") < 100 : int_at(list[0], "boot_index") >= 100);
  }
  // Only the requested module is listed.
  reply = session->reply_to(session->call("fileupload_list", R"({"module_list":["3"]})"));
  CHECK_TRUE(files_of(reply) != nullptr);
  LONGS_EQUAL(1, files_of(reply)->Size());
  STRCMP_EQUAL(kSn, (*files_of(reply))[0]["device_sn"].GetString());
}

TEST(SimMediaLogs, BadParametersAreRejected) {
  start("100");
  LONGS_EQUAL(325001, session->result_of("fileupload_list", "{}"));
  LONGS_EQUAL(325001, session->result_of("fileupload_list", R"({"module_list":["7"]})"));
  LONGS_EQUAL(325001, session->result_of("fileupload_start", R"({"bucket":"logs"})"));
  LONGS_EQUAL(325001, session->result_of("fileupload_start", start_data("3", "999")));  // no such boot
  LONGS_EQUAL(325001, session->result_of("fileupload_start", start_data("7", "120")));  // no such module
  LONGS_EQUAL(325001, session->result_of("fileupload_update", R"({"status":"pause","module_list":["0"]})"));
  // Nothing is uploading: a cancel stops nothing and succeeds, as the SDK's LogUploader answers.
  LONGS_EQUAL(0, session->result_of("fileupload_update", R"({"status":"cancel","module_list":["0"]})"));
}

// The photos go to a directory of the test's own (the default is relative to the working directory).
TEST_GROUP_BASE(SimMediaFiles, SimSessionGroup) {
  docklink::test::TempDirectory directory;
  void setup() override {
    SimSessionGroup::setup();
    start_session({"--speed", "100", "--osd-period-ms", "200", "--files-dir", directory.file("files")});
  }
};

// Without object storage (this cloud answers storage_config_get with no store) the photos stay queued: no
// file_upload_callback, the dock carries on and counts them; tests/integration/s3_sim_media_test.cpp uploads them.
TEST(SimMediaFiles, WithoutStorageThePhotosStayQueuedAndTheDockCarriesOn) {
  const std::string flight = "media-flight-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"media-flight-1"})"));
  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) {
        return is_event(seen, "flighttask_progress") && seen.str("bid") == flight && status_of(seen) == "ok";
      },
      15s);
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(3, int_in(done, "output.ext.media_count"));  // a photo every 250 m of the 800 m square

  // After landing the dock asks for the media storage (module 0) ...
  Seen request = session->cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == "storage_config_get";
  });
  CHECK_TRUE(request.json != nullptr);
  LONGS_EQUAL(0, int_in(request, "module"));
  // ... gets none, and carries on.
  LONGS_EQUAL(0, session->result_of("debug_mode_open"));
  LONGS_EQUAL(0, session->stop_sim(SIGTERM, 20s));
  std::string log = session->sim_log();
  CHECK_TEXT(log.find("dock-sim: media queued 3, delivered 0,") != std::string::npos, log.c_str());
  CHECK_TRUE(session->cloud().all([](const Seen& seen) { return is_event(seen, "file_upload_callback"); }).empty());
  // The photos wait in --files-dir for a cloud with storage.
  std::string folder = directory.file("files") + "/" + kSn + "/" + flight;
  for (const char* number : {"_0001_", "_0002_", "_0003_"}) {
    bool found = false;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      found = found || entry.path().filename().string().find(number) != std::string::npos;
    }
    CHECK_TEXT(found, number);
  }
}

// Each test starts its own dock model.
class MediaLiveGroup : public SimSessionGroup {
 protected:
  void start(const char* model) { start_session({"--speed", "100", "--osd-period-ms", "200", "--model", model}); }
  std::string push(const std::string& video) {
    return R"({"url_type":1,"url":"rtmp://127.0.0.1/live/x","video_id":")" + video + R"(","video_quality":0})";
  }
  // A live_status state whose first stream satisfies `pred`.
  Seen live_status_with(std::function<bool(const rapidjson::Value&)> pred) {
    return session->cloud().wait_for([&](const Seen& seen) {
      const rapidjson::Value* live = data_at(seen, "live_status");
      return seen.kind == docklink::TopicKind::kState && seen.sn == kSn && live != nullptr && live->IsArray() &&
             live->Size() == 1 && pred((*live)[0]);
    });
  }
};

TEST_GROUP_BASE(SimMediaLive, MediaLiveGroup){};

TEST(SimMediaLive, LensChangeShowsInLiveStatus) {
  start("dock2");
  const std::string video = std::string(kAircraft) + "/80-0-0/normal-0";
  LONGS_EQUAL(0, session->result_of("live_start_push", push(video)));
  LONGS_EQUAL(0, session->result_of("live_lens_change", R"({"video_id":")" + video + R"(","video_type":"zoom"})"));
  Seen zoom = live_status_with([](const rapidjson::Value& stream) {
    return stream["video_type"].IsString() && stream["video_type"].GetString() == std::string("zoom");
  });
  CHECK_TRUE(zoom.json != nullptr);
  STRCMP_EQUAL(video.c_str(), (*data_at(zoom, "live_status"))[0]["video_id"].GetString());

  // The M3D camera has no thermal lens; a lens name outside the protocol is a bad parameter.
  LONGS_EQUAL(513002, session->result_of("live_lens_change", R"({"video_id":")" + video + R"(","video_type":"ir"})"));
  LONGS_EQUAL(325001,
              session->result_of("live_lens_change", R"({"video_id":")" + video + R"(","video_type":"thermal"})"));
  // A stream that is not running.
  LONGS_EQUAL(513011,
              session->result_of("live_lens_change", R"({"video_id":"nope/80-0-0/normal-0","video_type":"wide"})"));
}

TEST(SimMediaLive, CameraChangeShowsInLiveStatus) {
  start("dock2");
  const std::string video = std::string(kSn) + "/165-0-7/normal-0";
  LONGS_EQUAL(0, session->result_of("live_start_push", push(video)));
  LONGS_EQUAL(0, session->result_of("live_camera_change", R"({"video_id":")" + video + R"(","camera_position":0})"));
  CHECK_TRUE(live_status_with([](const rapidjson::Value& stream) {
               return int_at(stream, "camera_position") == 0;
             }).json != nullptr);
  LONGS_EQUAL(0, session->result_of("live_camera_change", R"({"video_id":")" + video + R"(","camera_position":1})"));
  CHECK_TRUE(live_status_with([](const rapidjson::Value& stream) {
               return int_at(stream, "camera_position") == 1;
             }).json != nullptr);

  LONGS_EQUAL(513011,
              session->result_of("live_camera_change", R"({"video_id":"nope/165-0-7/normal-0","camera_position":0})"));
  LONGS_EQUAL(325001,
              session->result_of("live_camera_change", R"({"video_id":")" + video + R"(","camera_position":2})"));
  // The aircraft camera has no inside/outside.
  const std::string aircraft_video = std::string(kAircraft) + "/80-0-0/normal-0";
  LONGS_EQUAL(0, session->result_of("live_stop_push", R"({"video_id":")" + video + R"("})"));
  LONGS_EQUAL(0, session->result_of("live_start_push", push(aircraft_video)));
  LONGS_EQUAL(513002, session->result_of("live_camera_change",
                                         R"({"video_id":")" + aircraft_video + R"(","camera_position":0})"));
}

TEST(SimMediaLive, Dock1HasNoCameraChange) {
  start("dock1");
  const std::string video = std::string(kSn) + "/165-0-7/normal-0";
  LONGS_EQUAL(0, session->result_of("live_start_push", push(video)));
  LONGS_EQUAL(325001,
              session->result_of("live_camera_change", R"({"video_id":")" + video + R"(","camera_position":0})"));
}
