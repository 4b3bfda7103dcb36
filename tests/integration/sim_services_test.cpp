// dock-sim services beyond remote debugging: firmware upgrade, live streaming, property sets.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

TEST_GROUP_BASE(SimServices, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100", "--osd-period-ms", "100"}};
  Seen state_with(const std::string& sn, const char* key, std::function<bool(const rapidjson::Value&)> pred) {
    return session->cloud().wait_for([&](const Seen& seen) {
      const rapidjson::Value* value = data_at(seen, key);
      return seen.kind == docklink::TopicKind::kState && seen.sn == sn && value != nullptr && pred(*value);
    });
  }
};

// A consistency upgrade names no package (empty file_url): the simulator plays it out over 30 simulated seconds.
// Upgrades that download a package are SimOta's.
TEST(SimServices, OtaCreateReportsProgressOnItsBidAndUpdatesFirmware) {
  const std::string bid = "ota-bid-1";
  std::string data = R"({"devices":[{"sn":")" + std::string(kSn) +
                     R"(","product_version":"99.01.0001","file_url":"","md5":"",)"
                     R"("file_size":0,"file_name":"","firmware_upgrade_type":2}]})";
  Seen reply = session->reply_to(session->call("ota_create", data, bid));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("in_progress", status_of(reply).c_str());
  // A second upgrade while this one runs is refused.
  LONGS_EQUAL(312014, session->result_of("ota_create", data));

  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) { return is_event(seen, "ota_progress") && status_of(seen) == "ok"; });
  CHECK_TRUE(done.json != nullptr);
  STRCMP_EQUAL(bid.c_str(), done.str("bid").c_str());
  LONGS_EQUAL(100, int_in(done, "output.progress.percent"));
  std::vector<Seen> events = session->cloud().all([](const Seen& seen) { return is_event(seen, "ota_progress"); });
  CHECK_TRUE(events.size() >= 5);
  int last_percent = -1;
  for (const Seen& seen : events) {
    STRCMP_EQUAL(bid.c_str(), seen.str("bid").c_str());
    CHECK_TRUE(int_in(seen, "output.progress.percent") > last_percent);
    last_percent = int_in(seen, "output.progress.percent");
  }
  STRCMP_EQUAL("download_firmware", string_in(events.front(), "output.progress.current_step").c_str());
  STRCMP_EQUAL("upgrade_firmware", string_in(events.back(), "output.progress.current_step").c_str());

  Seen firmware = state_with(kSn, "firmware_version", [](const rapidjson::Value& v) {
    return v.IsString() && v.GetString() == std::string("99.01.0001");
  });
  CHECK_TRUE(firmware.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));
}

TEST(SimServices, LiveStartAndStopShowInLiveStatus) {
  const std::string video = std::string(kAircraft) + "/80-0-0/normal-0";
  std::string start =
      R"({"url_type":1,"url":"rtmp://127.0.0.1/live/x","video_id":")" + video + R"(","video_quality":2})";
  LONGS_EQUAL(0, session->result_of("live_start_push", start));
  Seen streaming = state_with(kSn, "live_status", [&](const rapidjson::Value& v) {
    return v.IsArray() && v.Size() == 1 && v[0]["video_id"].GetString() == video;
  });
  CHECK_TRUE(streaming.json != nullptr);
  LONGS_EQUAL(2, int_at((*data_at(streaming, "live_status"))[0], "video_quality"));
  LONGS_EQUAL(513003, session->result_of("live_start_push", start));

  std::string stop = R"({"video_id":")" + video + R"("})";
  LONGS_EQUAL(0, session->result_of("live_stop_push", stop));
  Seen stopped = state_with(kSn, "live_status", [](const rapidjson::Value& v) { return v.IsArray() && v.Size() == 0; });
  CHECK_TRUE(stopped.json != nullptr);
  LONGS_EQUAL(513011, session->result_of("live_stop_push", stop));
}

TEST(SimServices, PropertySetsTakeEffectInStateAndOsd) {
  TestCloud& cloud = session->cloud();
  auto set = [&](const char* json) {
    std::string tid = cloud.send(docklink::TopicKind::kPropertySet, kSn, "", json);
    return cloud.wait_for([&](const Seen& seen) {
      return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid;
    });
  };
  // A state property of the aircraft: pushed at once as state.
  Seen reply = set(R"({"commander_flight_height":150})");
  LONGS_EQUAL(0, int_in(reply, "commander_flight_height.result"));
  CHECK_TRUE(state_with(kAircraft, "commander_flight_height", [](const rapidjson::Value& v) {
               return v.IsInt() && v.GetInt() == 150;
             }).json != nullptr);
  // A dock state property.
  reply = set(R"({"silent_mode":1})");
  LONGS_EQUAL(0, int_in(reply, "silent_mode.result"));
  CHECK_TRUE(state_with(kSn, "silent_mode", [](const rapidjson::Value& v) {
               return v.IsInt() && v.GetInt() == 1;
             }).json != nullptr);
  // A nested OSD property: the result sits at the leaf.
  reply = set(R"({"obstacle_avoidance":{"horizon":0}})");
  LONGS_EQUAL(0, int_in(reply, "obstacle_avoidance.horizon.result"));
  CHECK_TRUE(session->osd_shows(kAircraft, "obstacle_avoidance.horizon", 0));
  // Out of range.
  reply = set(R"({"rth_altitude":5000})");
  LONGS_EQUAL(325001, int_in(reply, "rth_altitude.result"));
}
