// live_set_quality (docs/protocol.md#live): the quality of a running stream changes and shows in live_status; an
// unknown stream and a quality outside the video_quality enum are refused.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

constexpr std::int32_t kLiveNotStreaming = 513011;  // 13011 "no live stream" with the dock source prefix
constexpr std::int32_t kInvalidParameter = 325001;  // the thing-model validator's answer

std::string quality_data(const std::string& video_id, int quality) {
  return R"({"video_id":")" + video_id + R"(","video_quality":)" + std::to_string(quality) + "}";
}

}  // namespace

TEST_GROUP_BASE(SimLiveQuality, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "50", "--osd-period-ms", "200"}};
  const std::string video = std::string(kAircraft) + "/80-0-0/normal-0";
  void setup() override {
    SimSessionGroup::setup();
    LONGS_EQUAL(0, session->result_of("live_start_push", R"({"url_type":1,"url":"rtmp://127.0.0.1/live/x",)"
                                                         R"("video_id":")" +
                                                             video + R"(","video_quality":1})"));
  }
  // Qualities of `video` in every live_status state so far, in order.
  std::vector<int> qualities_seen() {
    std::vector<int> qualities;
    for (const Seen& seen : session->cloud().all([](const Seen& seen) {
           return seen.kind == docklink::TopicKind::kState && seen.sn == kSn && data_at(seen, "live_status") != nullptr;
         })) {
      const rapidjson::Value& live = *data_at(seen, "live_status");
      if (!live.IsArray()) continue;
      for (const auto& stream : live.GetArray()) {
        if (stream.HasMember("video_id") && stream["video_id"].IsString() && stream["video_id"].GetString() == video) {
          qualities.push_back(int_at(stream, "video_quality"));
        }
      }
    }
    return qualities;
  }
  // Waits for a live_status state whose stream `video` has `quality`.
  bool live_status_shows(int quality) {
    return session->cloud()
               .wait_for([&](const Seen& seen) {
                 const rapidjson::Value* live = data_at(seen, "live_status");
                 if (seen.kind != docklink::TopicKind::kState || seen.sn != kSn || live == nullptr ||
                     !live->IsArray()) {
                   return false;
                 }
                 for (const auto& stream : live->GetArray()) {
                   if (stream.HasMember("video_id") && stream["video_id"].IsString() &&
                       stream["video_id"].GetString() == video && int_at(stream, "video_quality") == quality) {
                     return true;
                   }
                 }
                 return false;
               })
               .json != nullptr;
  }
};

TEST(SimLiveQuality, SetQualityShowsInLiveStatus) {
  CHECK_TRUE(live_status_shows(1));
  LONGS_EQUAL(0, session->result_of("live_set_quality", quality_data(video, 4)));
  CHECK_TRUE(live_status_shows(4));
  LONGS_EQUAL(0, session->result_of("live_set_quality", quality_data(video, 0)));
  CHECK_TRUE(live_status_shows(0));
  std::vector<int> expected = {1, 4, 0};
  CHECK_TRUE(expected == qualities_seen());
}

TEST(SimLiveQuality, UnknownStreamIsRefused) {
  LONGS_EQUAL(kLiveNotStreaming,
              session->result_of("live_set_quality", quality_data(std::string(kAircraft) + "/80-0-0/zoom-9", 2)));
  LONGS_EQUAL(kLiveNotStreaming, session->result_of("live_set_quality", quality_data("NOPE-0001/165-0-7/normal-0", 2)));
  // A later change of the running stream arrives after anything the refused calls could have published: by then
  // live_status has shown only the start and that change.
  LONGS_EQUAL(0, session->result_of("live_set_quality", quality_data(video, 3)));
  CHECK_TRUE(live_status_shows(3));
  std::vector<int> expected = {1, 3};
  CHECK_TRUE(expected == qualities_seen());
}

TEST(SimLiveQuality, QualityOutsideTheEnumIsRefused) {
  LONGS_EQUAL(kInvalidParameter, session->result_of("live_set_quality", quality_data(video, 5)));
  LONGS_EQUAL(kInvalidParameter, session->result_of("live_set_quality", quality_data(video, -1)));
  // video_quality is required.
  LONGS_EQUAL(kInvalidParameter, session->result_of("live_set_quality", R"({"video_id":")" + video + R"("})"));
  LONGS_EQUAL(0, session->result_of("live_set_quality", quality_data(video, 3)));
  CHECK_TRUE(live_status_shows(3));
  std::vector<int> expected = {1, 3};
  CHECK_TRUE(expected == qualities_seen());
}
