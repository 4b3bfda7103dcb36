// dock-sim command flight: one-key takeoff (takeoff_to_point) and fly_to_point / _update / _stop with their
// progress events, rejections, and return_home bringing a command-flight aircraft home.
#include <cmath>

#include "geo.hpp"  // samples/dock_simulator: the geometry the simulator flies with
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

using docklink::sim::kMetersPerDegree;
using docklink::sim::meters_per_degree_longitude;

namespace {

double real_in(const Seen& seen, const std::string& path, double fallback = -1e9) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsNumber() ? value->GetDouble() : fallback;
}

/// A position: degrees and ellipsoid height.
struct Position {
  double latitude = 0, longitude = 0, height = 0;
};

// `from` moved `north` / `east` metres and set to `height`.
Position offset(const Position& from, double north, double east, double height) {
  return {from.latitude + north / kMetersPerDegree, from.longitude + east / meters_per_degree_longitude(from.latitude),
          height};
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.7f", value);
  return text;
}

std::string takeoff_data(const std::string& flight_id, const Position& target, int security_height = 40,
                         int max_speed = 12) {
  return R"({"flight_id":")" + flight_id + R"(","target_latitude":)" + number(target.latitude) +
         R"(,"target_longitude":)" + number(target.longitude) + R"(,"target_height":)" + number(target.height) +
         R"(,"security_takeoff_height":)" + std::to_string(security_height) +
         R"(,"rth_altitude":80,"rc_lost_action":2,"commander_mode_lost_action":1,"commander_flight_mode":1,)" +
         R"("commander_flight_height":80,"max_speed":)" + std::to_string(max_speed) + "}";
}

std::string point_data(const Position& point, int max_speed, const std::string& fly_to_id = "") {
  std::string data = "{";
  if (!fly_to_id.empty()) data += R"("fly_to_id":")" + fly_to_id + R"(",)";
  return data + R"("max_speed":)" + std::to_string(max_speed) + R"(,"points":[{"latitude":)" + number(point.latitude) +
         R"(,"longitude":)" + number(point.longitude) + R"(,"height":)" + number(point.height) + "}]}";
}

}  // namespace

// A session that knows where its dock stands, with command-flight helpers.
class CommandFlightGroup : public SimSessionGroup {
 public:
  Position dock;
  void setup() override {
    SimSessionGroup::setup();
    // The dock's position, from the OSD message that carries it.
    Seen osd = session->cloud().wait_for([](const Seen& seen) {
      return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && real_in(seen, "latitude") > -1e9 &&
             real_in(seen, "height") > -1e9;
    });
    CHECK_TRUE(osd.json != nullptr);
    dock = {real_in(osd, "latitude"), real_in(osd, "longitude"), real_in(osd, "height")};
  }
  std::vector<Seen> events(const char* method, const std::string& bid) {
    return session->cloud().all([&](const Seen& seen) { return is_event(seen, method) && seen.str("bid") == bid; });
  }
  Seen wait_event(const char* method, const std::string& bid, const std::string& status,
                  std::chrono::milliseconds timeout = 10s) {
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, method) && seen.str("bid") == bid && string_in(seen, "status") == status;
        },
        timeout);
  }
  // takeoff_to_point to `target`, answered 0, then waits until the aircraft hovers there.
  void take_off(const std::string& flight_id, const Position& target) {
    const std::string bid = flight_id + "-bid";
    LONGS_EQUAL(0, session->reply_to(session->call("takeoff_to_point", takeoff_data(flight_id, target), bid)).result());
    CHECK_TRUE(wait_event("takeoff_to_point_progress", bid, "task_finish").json != nullptr);
  }
  // Waits for an aircraft OSD within `metres` of `where` (horizontally).
  bool aircraft_near(const Position& where, double metres, std::chrono::milliseconds timeout = 5s) {
    return session->cloud()
               .wait_for(
                   [&](const Seen& seen) {
                     if (seen.kind != docklink::TopicKind::kOsd || seen.sn != kAircraft) return false;
                     double north = (real_in(seen, "latitude") - where.latitude) * kMetersPerDegree;
                     double east =
                         (real_in(seen, "longitude") - where.longitude) * meters_per_degree_longitude(where.latitude);
                     return std::hypot(north, east) < metres;
                   },
                   timeout)
               .json != nullptr;
  }
};

TEST_GROUP_BASE(SimCommandFlight, CommandFlightGroup) {
  SessionArgs args{this, {"--speed", "50", "--osd-period-ms", "100"}};
};

TEST(SimCommandFlight, TakeoffToPointClimbsFliesAndHoversAtTheTarget) {
  Position target = offset(dock, 600, 0, dock.height + 60);
  std::string tid = session->call("takeoff_to_point", takeoff_data("one-key-1", target), "one-key-1-bid");
  Seen reply = session->reply_to(tid);
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  Seen finished = wait_event("takeoff_to_point_progress", "one-key-1-bid", "task_finish");
  CHECK_TRUE(finished.json != nullptr);

  // task_ready, then wayline_progress with shrinking distance and time, then wayline_ok and task_finish.
  std::vector<Seen> progress = events("takeoff_to_point_progress", "one-key-1-bid");
  CHECK_TRUE(progress.size() >= 5);
  STRCMP_EQUAL("task_ready", string_in(progress.front(), "status").c_str());
  std::vector<std::string> statuses;
  double last_distance = 1e9, last_time = 1e9;
  int flying = 0;
  for (const Seen& seen : progress) {
    statuses.push_back(string_in(seen, "status"));
    STRCMP_EQUAL("one-key-1", string_in(seen, "flight_id").c_str());
    CHECK_FALSE(string_in(seen, "track_id").empty());
    LONGS_EQUAL(1, int_at(*seen.json, "need_reply"));
    LONGS_EQUAL(0, seen.result());
    const rapidjson::Value* planned = data_at(seen, "planned_path_points");
    CHECK_TRUE(planned != nullptr && planned->IsArray() && planned->Size() == 1);
    DOUBLES_EQUAL(target.latitude, (*planned)[0]["latitude"].GetDouble(), 1e-6);
    if (statuses.back() == "wayline_progress") {
      ++flying;
      double distance = real_in(seen, "remaining_distance"), time = real_in(seen, "remaining_time");
      CHECK_TRUE(distance <= last_distance && time <= last_time);
      CHECK_TRUE(distance > 0);
      last_distance = distance;
      last_time = time;
    }
  }
  CHECK_TRUE(flying >= 2);
  CHECK_TRUE(last_distance < 600);
  CHECK_TRUE(statuses.size() >= 2);
  STRCMP_EQUAL("wayline_ok", statuses[statuses.size() - 2].c_str());
  STRCMP_EQUAL("task_finish", statuses.back().c_str());

  // Out of the open dock, hovering at the target under live flight control.
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 0));
  CHECK_TRUE(session->osd_shows(kSn, "cover_state", 1));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 4));
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 17));
  CHECK_TRUE(aircraft_near(target, 2));
  Seen hovering = session->cloud().wait_for([&](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft &&
           std::fabs(real_in(seen, "height") - target.height) < 0.5 && real_in(seen, "horizontal_speed") == 0;
  });
  CHECK_TRUE(hovering.json != nullptr);
}

TEST(SimCommandFlight, TakeoffWithBadParametersIsRejected) {
  Position target = offset(dock, 100, 0, dock.height + 30);
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", takeoff_data("", target)));
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", takeoff_data("bad-1", target, 10)));      // < 20 m
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", takeoff_data("bad-1", target, 40, 16)));  // > 15 m/s
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", takeoff_data("bad-1", offset(dock, 100, 0, 1))));
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", takeoff_data("bad-1", offset(dock, 100, 0, 1600))));
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", R"({"flight_id":"bad-1","target_latitude":22.5,)"
                                                             R"("target_height":100,"security_takeoff_height":40})"));
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", R"({"flight_id":"bad-1","target_latitude":95,)"
                                                             R"("target_longitude":113,"target_height":100,)"
                                                             R"("security_takeoff_height":40})"));
  LONGS_EQUAL(325001, session->result_of("takeoff_to_point", R"({"flight_id":"bad-1","target_latitude":22.5,)"
                                                             R"("target_longitude":113,"target_height":100,)"
                                                             R"("security_takeoff_height":40,"rth_altitude":1501})"));
  // Nothing moved: the aircraft is still in the closed, idle dock.
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));
  CHECK_TRUE(session->osd_shows(kSn, "cover_state", 0));
}

TEST(SimCommandFlight, TakeoffIsRefusedWhileTheDockIsNotFree) {
  Position target = offset(dock, 300, 0, dock.height + 40);
  // Remote debugging mode.
  LONGS_EQUAL(0, session->result_of("debug_mode_open"));
  LONGS_EQUAL(319036, session->result_of("takeoff_to_point", takeoff_data("busy-1", target)));
  LONGS_EQUAL(0, session->result_of("debug_mode_close"));
  // A command flight already runs: no second takeoff, no flight task, no remote debugging.
  LONGS_EQUAL(0, session->result_of("takeoff_to_point", takeoff_data("busy-1", target)));
  LONGS_EQUAL(319016, session->result_of("takeoff_to_point", takeoff_data("busy-2", target)));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("busy-task", 1, now_ms() + 600000)));
  LONGS_EQUAL(319016, session->result_of("flighttask_execute", R"({"flight_id":"busy-task"})"));
  LONGS_EQUAL(514148, session->result_of("debug_mode_open"));
}

TEST(SimCommandFlight, FlyToPointNeedsAnAirborneCommandFlightAndAuthority) {
  Position far = offset(dock, 500, 500, dock.height + 50);
  // The aircraft is in the dock.
  LONGS_EQUAL(314000, session->result_of("fly_to_point", point_data(far, 10, "early-1")));
  LONGS_EQUAL(319022, session->result_of("fly_to_point_update", point_data(far, 10)));
  LONGS_EQUAL(319023, session->result_of("fly_to_point_stop"));
  // Malformed: no id, two points, a height out of range.
  LONGS_EQUAL(325001, session->result_of("fly_to_point", point_data(far, 10)));
  std::string two = R"({"fly_to_id":"two","max_speed":5,"points":[{"latitude":22.5,"longitude":113.9,"height":80},)"
                    R"({"latitude":22.6,"longitude":113.9,"height":80}]})";
  LONGS_EQUAL(319032, session->result_of("fly_to_point", two));
  LONGS_EQUAL(325001, session->result_of("fly_to_point", point_data(offset(dock, 10, 0, 1), 10, "low-1")));

  // Airborne now, but the cloud holds no flight authority yet.
  take_off("authority-1", offset(dock, 100, 0, dock.height + 40));
  LONGS_EQUAL(319030, session->result_of("fly_to_point", point_data(far, 10, "no-authority-1")));
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  LONGS_EQUAL(0, session->result_of("fly_to_point", point_data(far, 10, "with-authority-1")));
}

TEST(SimCommandFlight, FlyToPointIsUpdatedAndStopped) {
  take_off("flyto-1", offset(dock, 100, 0, dock.height + 40));
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  // Far away and slow, so it is still flying when updated and stopped.
  Position first = offset(dock, 5000, 0, dock.height + 60);
  Seen reply = session->reply_to(session->call("fly_to_point", point_data(first, 10, "flyto-a"), "flyto-a-bid"));
  LONGS_EQUAL(0, reply.result());
  std::vector<Seen> flying = session->cloud().wait_count(
      [](const Seen& seen) {
        return is_event(seen, "fly_to_point_progress") && seen.str("bid") == "flyto-a-bid" &&
               string_in(seen, "status") == "wayline_progress";
      },
      2, 5s);
  CHECK_TRUE(flying.size() >= 2);
  STRCMP_EQUAL("flyto-a", string_in(flying[0], "fly_to_id").c_str());
  LONGS_EQUAL(1, int_at(*flying[0].json, "need_reply"));
  CHECK_TRUE(real_in(flying[1], "remaining_distance") < real_in(flying[0], "remaining_distance"));
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 17));

  // The update turns the aircraft towards a new point: later progress plans that one.
  Position second = offset(dock, 100, 4000, dock.height + 60);
  LONGS_EQUAL(0, session->result_of("fly_to_point_update", point_data(second, 12)));
  Seen turned = session->cloud().wait_for([&](const Seen& seen) {
    const rapidjson::Value* planned = data_at(seen, "planned_path_points");
    return is_event(seen, "fly_to_point_progress") && seen.str("bid") == "flyto-a-bid" && planned != nullptr &&
           planned->IsArray() && planned->Size() == 1 &&
           std::fabs((*planned)[0]["longitude"].GetDouble() - second.longitude) < 1e-6;
  });
  CHECK_TRUE(turned.json != nullptr);
  STRCMP_EQUAL("wayline_progress", string_in(turned, "status").c_str());

  // Stopped: cancelled, and the aircraft hovers where it is.
  LONGS_EQUAL(0, session->result_of("fly_to_point_stop"));
  Seen cancelled = wait_event("fly_to_point_progress", "flyto-a-bid", "wayline_cancel");
  CHECK_TRUE(cancelled.json != nullptr);
  STRCMP_EQUAL("flyto-a", string_in(cancelled, "fly_to_id").c_str());
  CHECK_TRUE(wait_event("fly_to_point_progress", "flyto-a-bid", "wayline_ok", 500ms).json == nullptr);
  LONGS_EQUAL(319023, session->result_of("fly_to_point_stop"));
  LONGS_EQUAL(319022, session->result_of("fly_to_point_update", point_data(first, 10)));
  Seen hovering = session->cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && real_in(seen, "horizontal_speed") == 0 &&
           int_in(seen, "mode_code") == 17;
  });
  CHECK_TRUE(hovering.json != nullptr);
}

TEST(SimCommandFlight, FlyToPointArrivesAndReturnHomeLandsInTheDock) {
  take_off("home-1", offset(dock, 100, 0, dock.height + 40));
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  Position point = offset(dock, 100, 150, dock.height + 50);
  LONGS_EQUAL(0,
              session->reply_to(session->call("fly_to_point", point_data(point, 15, "near-1"), "near-1-bid")).result());
  Seen arrived = wait_event("fly_to_point_progress", "near-1-bid", "wayline_ok");
  CHECK_TRUE(arrived.json != nullptr);
  LONGS_EQUAL(0, arrived.result());
  CHECK_TRUE(aircraft_near(point, 2));

  // return_home brings the command-flight aircraft back into the dock, which closes and idles.
  LONGS_EQUAL(0, session->result_of("return_home"));
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 9));
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1, 10s));
  CHECK_TRUE(session->osd_shows(kSn, "cover_state", 0, 10s));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0, 10s));
  LONGS_EQUAL(314000, session->result_of("fly_to_point", point_data(point, 15, "after-1")));
  // The return runs through the flight-task code, which reports its end with the command flight's id.
  Seen ended = session->cloud().wait_for(
      [](const Seen& seen) {
        return is_event(seen, "flighttask_progress") && seen.str("bid") == "home-1" && status_of(seen) == "ok";
      },
      10s);
  CHECK_TRUE(ended.json != nullptr);
  // And it may take off again.
  LONGS_EQUAL(0, session->result_of("takeoff_to_point", takeoff_data("home-2", point)));
}

// --emergency-stop-at 0: the button is pressed as soon as the dock is online; --emergency-stop-for 500 releases it
// 500 simulated seconds (5 s at 100x) later, time enough for the refused calls even under sanitizers or qemu.
TEST_GROUP_BASE(SimEmergencyStop, CommandFlightGroup) {
  SessionArgs args{
      this, {"--speed", "100", "--osd-period-ms", "100", "--emergency-stop-at", "0", "--emergency-stop-for", "500"}};
};

TEST(SimEmergencyStop, PressedButtonShowsInOsdAndRefusesTakeoffAndFlightsUntilReleased) {
  CHECK_TRUE(session->osd_shows(kSn, "emergency_stop_state", 1));
  Position target = offset(dock, 100, 0, dock.height + 40);
  LONGS_EQUAL(514121, session->result_of("takeoff_to_point", takeoff_data("stopped-1", target)));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("stopped-task")));
  LONGS_EQUAL(514121, session->result_of("flighttask_execute", R"({"flight_id":"stopped-task"})"));

  // Released: an OSD showing 0 after the ones seen so far (an OSD from before the press may show 0 too).
  auto released = [](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_in(seen, "emergency_stop_state") == 0;
  };
  std::size_t before = session->cloud().all(released).size();
  CHECK_TRUE(session->cloud().wait_count(released, before + 1, 15s).size() > before);
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"stopped-task"})"));
}

TEST(SimEmergencyStop, RemoteDebugJobStopsAtTheScramCheckWhilePressed) {
  CHECK_TRUE(session->osd_shows(kSn, "emergency_stop_state", 1));
  LONGS_EQUAL(0, session->result_of("debug_mode_open"));
  LONGS_EQUAL(0, session->reply_to(session->call("cover_open", "{}", "cover-bid")).result());
  Seen end = session->cloud().wait_for([](const Seen& seen) {
    std::string status = status_of(seen);
    return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == "cover-bid" && !status.empty() &&
           status != "in_progress";
  });
  CHECK_TRUE(end.json != nullptr);
  LONGS_EQUAL(514121, end.result());  // the job's check_scram_state step fails
}
