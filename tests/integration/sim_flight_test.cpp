// dock-sim flight tasks: prepare/execute, rejections, return home, timed and conditional tasks, events.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

TEST_GROUP_BASE(SimFlight, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100", "--osd-period-ms", "100"}};
  std::vector<Seen> progress_of(const std::string& flight_id) {
    return session->cloud().all(
        [&](const Seen& seen) { return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id; });
  }
  Seen wait_progress(const std::string& flight_id, std::function<bool(const Seen&)> pred,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id && pred(seen);
        },
        timeout);
  }
};

TEST(SimFlight, PreparedTaskWalksCurrentStepToOk) {
  const std::string flight = "flight-ok-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-ok-1"})"));
  Seen done = wait_progress(flight, [](const Seen& seen) { return status_of(seen) == "ok"; });
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(100, int_in(done, "output.progress.percent"));
  LONGS_EQUAL(0, done.result());

  // Every progress event carries the flight id as bid and in ext; steps never go back.
  std::vector<Seen> events = progress_of(flight);
  CHECK_TRUE(events.size() >= 10);
  int last_step = -1;
  std::set<int> steps;
  for (const Seen& seen : events) {
    STRCMP_EQUAL(flight.c_str(), string_in(seen, "output.ext.flight_id").c_str());
    int step = int_in(seen, "output.progress.current_step");
    CHECK_TRUE(step >= last_step);
    last_step = step;
    steps.insert(step);
    if (status_of(seen) != "ok") STRCMP_EQUAL("in_progress", status_of(seen).c_str());
  }
  CHECK_TRUE(*steps.begin() < 10);   // pre-checks
  CHECK_TRUE(steps.count(25) == 1);  // wayline executing
  CHECK_TRUE(steps.count(27) == 1);  // landing
  CHECK_TRUE(steps.count(29) == 1);  // dock leaves work mode
  STRCMP_EQUAL("ok", status_of(events.back()).c_str());
  // Step 16 asked the cloud for the wayline file of this flight (a typed request).
  Seen resource = session->cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == "flighttask_resource_get";
  });
  CHECK_TRUE(resource.json != nullptr);
  STRCMP_EQUAL(flight.c_str(), string_in(resource, "flight_id").c_str());
  // The aircraft is back in the dock and the dock idle.
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));
}

TEST(SimFlight, ExecuteWithoutPrepareIsRejected) {
  LONGS_EQUAL(319003, session->result_of("flighttask_execute", R"({"flight_id":"never-prepared"})"));
}

TEST(SimFlight, PrepareOutsideAllowedStateIsRejected) {
  // Immediate task whose execute_time is far off: the dock's clock disagrees.
  LONGS_EQUAL(319008, session->result_of("flighttask_prepare", prepare_data("late-1", 0, now_ms() - 120000)));
  // Missing file: invalid parameters.
  LONGS_EQUAL(325001, session->result_of("flighttask_prepare", R"({"flight_id":"x","task_type":0})"));
  // Remote debugging mode.
  LONGS_EQUAL(0, session->result_of("debug_mode_open"));
  LONGS_EQUAL(319036, session->result_of("flighttask_prepare", prepare_data("debug-1")));
  LONGS_EQUAL(0, session->result_of("debug_mode_close"));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("debug-1")));
}

TEST(SimFlight, SecondExecuteWhileFlyingIsRejectedAsBusy) {
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("busy-a")));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("busy-b")));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"busy-a"})"));
  LONGS_EQUAL(319016, session->result_of("flighttask_execute", R"({"flight_id":"busy-b"})"));
  // Nor can another immediate task be prepared.
  LONGS_EQUAL(319016, session->result_of("flighttask_prepare", prepare_data("busy-c")));
  // Remote debugging cannot start mid-flight either.
  LONGS_EQUAL(514148, session->result_of("debug_mode_open"));
}

TEST(SimFlight, ReturnHomeMidWaylineEndsPartiallyDone) {
  // Nothing flying: refused.
  LONGS_EQUAL(314000, session->result_of("return_home"));
  const std::string flight = "flight-rth-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-rth-1"})"));
  Seen wayline =
      wait_progress(flight, [](const Seen& seen) { return int_in(seen, "output.ext.wayline_mission_state") == 6; });
  CHECK_TRUE(wayline.json != nullptr);
  Seen reply = session->reply_to(session->call("return_home"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("ok", status_of(reply).c_str());
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 9));  // returning home
  Seen done = wait_progress(flight, [](const Seen& seen) { return status_of(seen) == "partially_done"; });
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(1283, int_in(done, "output.ext.break_point.break_reason"));
  CHECK_TRUE(progress_of(flight).size() >= 2);
}

TEST(SimFlight, UndoDropsPreparedTasksButNotTheRunningOne) {
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("undo-a")));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("undo-b")));
  LONGS_EQUAL(0, session->result_of("flighttask_undo", R"({"flight_ids":["undo-a"]})"));
  LONGS_EQUAL(319003, session->result_of("flighttask_execute", R"({"flight_id":"undo-a"})"));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"undo-b"})"));
  LONGS_EQUAL(319006, session->result_of("flighttask_undo", R"({"flight_ids":["undo-b"]})"));
  LONGS_EQUAL(325001, session->result_of("flighttask_undo", R"({"flight_ids":"undo-b"})"));
}

// hms alarms, return_home_cancel, cover_force_close, conditional and timed tasks.
TEST_GROUP_BASE(SimEvents, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100", "--osd-period-ms", "100", "--hms-period-s", "40"}};
  Seen first_progress(const std::string& flight_id, std::chrono::milliseconds timeout) {
    return session->cloud().wait_for(
        [&](const Seen& seen) { return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id; },
        timeout);
  }
};

TEST(SimEvents, HmsAlarmsComeNowAndThenWithoutNeedReply) {
  // Two rounds at least, to see that they repeat.
  std::vector<Seen> alarms = session->cloud().wait_count([](const Seen& seen) { return is_event(seen, "hms"); }, 2, 5s);
  CHECK_TRUE(alarms.size() >= 2);
  std::set<std::string> codes;
  for (const Seen& alarm : alarms) {
    STRCMP_EQUAL(kSn, alarm.sn.c_str());
    STRCMP_EQUAL(kSn, alarm.str("gateway").c_str());
    LONGS_EQUAL(0, int_at(*alarm.json, "need_reply", 0));
    const rapidjson::Value* list = data_at(alarm, "list");
    CHECK_TRUE(list != nullptr && list->IsArray() && list->Size() >= 1);
    const rapidjson::Value& entry = (*list)[0];
    std::string code = entry["code"].GetString();
    CHECK_TRUE(code.rfind("0x", 0) == 0);
    codes.insert(code);
    LONGS_EQUAL(0, int_at(entry, "in_the_sky"));  // the aircraft is in the dock
    CHECK_TRUE(int_at(entry, "level") >= 0 && int_at(entry, "level") <= 2);
    CHECK_TRUE(entry["device_type"].IsString());
    CHECK_TRUE(entry["args"].IsObject());
  }
  CHECK_TRUE(codes.size() >= 2);  // not the same alarm over and over
}

TEST(SimEvents, ReturnHomeCancelHoversAndForceCloseClosesTheEmptyDock) {
  LONGS_EQUAL(514108, session->result_of("cover_force_close"));   // aircraft in the dock
  LONGS_EQUAL(319043, session->result_of("return_home_cancel"));  // nothing returning
  const std::string flight = "flight-cancel-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-cancel-1"})"));
  // Far enough out that the return takes several ticks.
  hover_far_from_dock();
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 3));  // hovering under manual control
  LONGS_EQUAL(319043, session->result_of("return_home_cancel"));

  // Now the dock is empty: the cover may be force-closed, as a job with progress on its bid.
  std::string tid = session->call("cover_force_close", "{}", "force-close-bid");
  LONGS_EQUAL(0, session->reply_to(tid).result());
  Seen closed = session->cloud().wait_for([](const Seen& seen) {
    return is_event(seen, "cover_force_close") && seen.str("bid") == "force-close-bid" && status_of(seen) == "ok";
  });
  CHECK_TRUE(closed.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "cover_state", 0));

  // return_home resumes; the dock reopens for landing and the task ends partially done.
  LONGS_EQUAL(0, session->result_of("return_home"));
  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) {
        return is_event(seen, "flighttask_progress") && seen.str("bid") == flight &&
               status_of(seen) == "partially_done";
      },
      10s);
  CHECK_TRUE(done.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1));
}

TEST(SimEvents, ConditionalTaskIsAnnouncedWithFlighttaskReadyWhenConditionsHold) {
  std::int64_t now = now_ms();
  std::string window =
      R"(,"begin_time":)" + std::to_string(now - 1000) + R"(,"end_time":)" + std::to_string(now + 60000) + "}";
  LONGS_EQUAL(
      0, session->result_of("flighttask_prepare",
                            prepare_data("cond-ok", 2, now, R"(,"ready_conditions":{"battery_capacity":50)" + window)));
  // The simulated battery (70 %) never reaches 100 % outside the charger.
  LONGS_EQUAL(0, session->result_of(
                     "flighttask_prepare",
                     prepare_data("cond-wait", 2, now, R"(,"ready_conditions":{"battery_capacity":100)" + window)));
  // A conditional task needs its conditions.
  LONGS_EQUAL(325001, session->result_of("flighttask_prepare", prepare_data("cond-bad", 2)));

  Seen ready = session->cloud().wait_for([](const Seen& seen) { return is_event(seen, "flighttask_ready"); });
  CHECK_TRUE(ready.json != nullptr);
  LONGS_EQUAL(1, int_at(*ready.json, "need_reply"));
  const rapidjson::Value* ids = data_at(ready, "flight_ids");
  CHECK_TRUE(ids != nullptr && ids->IsArray());
  LONGS_EQUAL(1, ids->Size());
  STRCMP_EQUAL("cond-ok", (*ids)[0].GetString());
  // Announced once only, and the cloud may then execute it.
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"cond-ok"})"));
  CHECK_TRUE(first_progress("cond-ok", 5s).json != nullptr);
  LONGS_EQUAL(1, session->cloud().all([](const Seen& seen) { return is_event(seen, "flighttask_ready"); }).size());
}

TEST(SimEvents, TimedTaskStartsAtItsExecuteTime) {
  // 100 simulated seconds ahead: one real second at 100x.
  std::int64_t execute_time = now_ms() + 100000;
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("timed-1", 1, execute_time)));
  LONGS_EQUAL(319008, session->result_of("flighttask_prepare", prepare_data("timed-past", 1, now_ms() - 3600000)));
  auto executed = std::chrono::steady_clock::now();
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"timed-1"})"));
  // While it waits the dock counts as busy.
  LONGS_EQUAL(319016, session->result_of("flighttask_prepare", prepare_data("timed-2")));
  CHECK_TRUE(session->cloud().all([](const Seen& seen) { return is_event(seen, "flighttask_progress"); }).empty());
  Seen first = first_progress("timed-1", 5s);
  CHECK_TRUE(first.json != nullptr);
  auto waited = std::chrono::steady_clock::now() - executed;
  CHECK_TRUE(waited >= 800ms);
  CHECK_TRUE(waited < 4s);
}
