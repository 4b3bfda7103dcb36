// dock-sim flight tasks whose wayline file is really downloaded: flighttask_prepare names a KMZ that a private nginx
// serves over HTTPS, the dock fetches it into --files-dir with its MD5 checked against the fingerprint before the
// task flies, and a fingerprint that does not match fails the task with 314902. The simulator never opens the KMZ,
// so any bytes serve as one.
#include <string>

#include "sim_https_group.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

constexpr int kWaylineFileCorrupt = 314902;
constexpr int kTaskNotFound = 319003;

// 32 KiB standing in for a KMZ.
std::string kmz_content() {
  std::string content(32 * 1024, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 7 + i / 509) & 0xff);
  return content;
}

// flighttask_prepare data of an immediate task whose KMZ is at `url` with MD5 `fingerprint`.
std::string prepare_with(const std::string& flight_id, const std::string& url, const std::string& fingerprint) {
  return R"({"flight_id":")" + flight_id + R"(","task_type":0,"execute_time":)" + std::to_string(now_ms()) +
         R"(,"rth_altitude":20,"file":{"url":")" + url + R"(","fingerprint":")" + fingerprint + R"("}})";
}

}  // namespace

// Each test's nginx serves the KMZ as route.kmz.
class WaylineGroup : public SimHttpsGroup {
 public:
  void setup() override {
    SimHttpsGroup::setup();
    CHECK_TRUE(nginx->write_file("route.kmz", kmz));
  }

 protected:
  std::string kmz_path(const std::string& flight_id) const {
    return files_dir() + "/wayline-" + kSn + "-" + flight_id + ".kmz";
  }
  // The first flighttask_progress of `flight_id` with `status`.
  Seen progress(const std::string& flight_id, const std::string& status) {
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, "flighttask_progress") && string_in(seen, "output.ext.flight_id") == flight_id &&
                 status_of(seen) == status;
        },
        20s);
  }

  std::string kmz = kmz_content();
};

TEST_GROUP_BASE(SimWayline, WaylineGroup){};

TEST(SimWayline, PreparedTaskFetchesItsKmzAndFlies) {
  // /slow/ sends 16 KiB/s, so the execute usually comes while the KMZ is still on its way: the task then flies once
  // it is here. Either way the task must fly, and only with its file in place.
  std::string data = prepare_with("kmz-flight", nginx->https_url("/slow/route.kmz"), md5_hex(kmz));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", data));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"kmz-flight"})"));
  Seen flying = progress("kmz-flight", "in_progress");
  CHECK_TRUE_TEXT(flying.json != nullptr, session->sim_log().c_str());
  LONGS_EQUAL(0, flying.result());

  std::string stored = file_text(kmz_path("kmz-flight"));
  LONGS_EQUAL(kmz.size(), stored.size());
  STRCMP_EQUAL(md5_hex(kmz).c_str(), md5_hex(stored).c_str());
  bool fetched = false;
  for (const std::string& line : nginx->access_log_lines(1)) {
    fetched = fetched || line.find("GET /slow/route.kmz 200") != std::string::npos;
  }
  CHECK_TRUE(fetched);
}

TEST(SimWayline, FingerprintMismatchFailsTheTaskWith314902) {
  std::string data = prepare_with("bad-kmz", nginx->https_url("/files/route.kmz"), md5_hex(kmz + "x"));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", data));
  Seen failed = progress("bad-kmz", "failed");
  CHECK_TRUE_TEXT(failed.json != nullptr, session->sim_log().c_str());
  LONGS_EQUAL(kWaylineFileCorrupt, failed.result());
  STRCMP_EQUAL("bad-kmz", failed.str("bid").c_str());
  // The task was dropped: there is nothing to execute, and no file was kept.
  LONGS_EQUAL(kTaskNotFound, session->result_of("flighttask_execute", R"({"flight_id":"bad-kmz"})"));
  CHECK_FALSE(file_exists(kmz_path("bad-kmz")));
}
