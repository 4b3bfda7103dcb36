// dock-sim's flight media on real object storage: `dock-cloud serve --store-*` hands s3rver's bucket to the dock,
// the photos of a flight are uploaded with dji::MediaUploader after landing, and each lands in the bucket under
// exactly the key its file_upload_callback announced, as a JPEG of its own.
#include <set>
#include <string>
#include <vector>

#include "s3_sim_session.hpp"
#include "sim_test_groups.hpp"

using namespace simtest;

namespace {

bool is_jpeg(const std::string& bytes) {
  return bytes.size() > 4 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0 &&
         bytes.compare(bytes.size() - 2, 2, "\xFF\xD9") == 0;
}

}  // namespace

TEST_GROUP_BASE(S3SimMedia, SimTestGroup) {
  std::unique_ptr<S3SimSession> session;
  void setup() override {
    SimTestGroup::setup();
    if (docklink::test::S3rverProcess::missing()) TEST_EXIT;
    session = std::make_unique<S3SimSession>(std::vector<std::string>{"--speed", "100", "--osd-period-ms", "200"});
    CHECK_TRUE_TEXT(session->ready(), session->diagnostics().c_str());
  }
  void teardown() override {
    session.reset();
    SimTestGroup::teardown();
  }
  // The file_upload_callback of photo `number` (1-based); json == nullptr when none came.
  Seen callback_of(int number) {
    std::string digits = "_000" + std::to_string(number) + "_";
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, "file_upload_callback") &&
                 string_in(seen, "file.name").find(digits) != std::string::npos;
        },
        30s);
  }
};

TEST(S3SimMedia, FlightPhotosLandInTheBucketUnderTheAnnouncedKeys) {
  const std::string flight = "s3-flight-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"s3-flight-1"})"));
  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) {
        return is_event(seen, "flighttask_progress") && seen.str("bid") == flight && status_of(seen) == "ok";
      },
      15s);
  CHECK_TRUE_TEXT(done.json != nullptr, session->logs().c_str());
  int media_count = int_in(done, "output.ext.media_count");
  LONGS_EQUAL(3, media_count);  // a photo every 250 m of the 800 m square

  std::set<std::string> keys, bodies;
  for (int photo = 1; photo <= media_count; ++photo) {
    Seen seen = callback_of(photo);
    CHECK_TRUE_TEXT(seen.json != nullptr, session->logs().c_str());
    LONGS_EQUAL(1, int_at(*seen.json, "need_reply"));
    std::string key = string_in(seen, "file.object_key");
    std::string name = string_in(seen, "file.name");
    // Under the object_key_prefix serve gave (the dock's SN), then the flight.
    STRCMP_EQUAL((std::string(kS3Dock) + "/" + flight + "/" + name).c_str(), key.c_str());
    STRCMP_EQUAL(flight.c_str(), string_in(seen, "file.ext.flight_id").c_str());
    STRCMP_EQUAL("0-91-0", string_in(seen, "file.ext.drone_model_key").c_str());  // Dock 2's M3D
    STRCMP_EQUAL("1-80-0", string_in(seen, "file.ext.payload_model_key").c_str());
    CHECK_TRUE(data_at(seen, "file.ext.is_original")->IsTrue());
    CHECK_FALSE(string_in(seen, "file.path").empty());
    // Shot on the wayline, 20 m above the dock (rth_altitude of prepare_data), near the dock's position.
    DOUBLES_EQUAL(20.0, data_at(seen, "file.metadata.relative_altitude")->GetDouble(), 0.01);
    CHECK_TRUE(data_at(seen, "file.metadata.absolute_altitude")->GetDouble() > 20.0);
    DOUBLES_EQUAL(22.5797, data_at(seen, "file.metadata.shoot_position.lat")->GetDouble(), 0.01);
    DOUBLES_EQUAL(113.938, data_at(seen, "file.metadata.shoot_position.lng")->GetDouble(), 0.01);
    CHECK_EQUAL(19u, string_in(seen, "file.metadata.create_time").size());  // "YYYY-MM-DD hh:mm:ss"

    // The object is there under that very key: a JPEG naming its photo.
    docklink::test::RecordingSink object = session->get_object(key);
    LONGS_EQUAL_TEXT(200, object.status, object.body.c_str());
    CHECK_TRUE(is_jpeg(object.body));
    CHECK_TRUE(object.body.find(name) != std::string::npos);
    keys.insert(key);
    bodies.insert(object.body);
  }
  LONGS_EQUAL(media_count, keys.size());    // one object per photo
  LONGS_EQUAL(media_count, bodies.size());  // each with its own bytes
  // The credentials came from serve (storage_config_get, module 0).
  CHECK_FALSE(
      session->serve().wait_line(S3SimSession::has("serve: requests storage_config_get from S3SIM-0001"), 1s).empty());
}
