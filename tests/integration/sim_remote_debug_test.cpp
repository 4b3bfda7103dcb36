// dock-sim remote debugging (docs/protocol.md#services): the debug mode switch, device-control jobs with their progress
// events and OSD/topology effects, and the result codes (docs/protocol.md#result-codes) the dock answers when a job is
// not allowed.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

bool is_topo(const Seen& seen) {
  return seen.kind == docklink::TopicKind::kStatus && seen.sn == kSn && seen.str("method") == "update_topo";
}

std::size_t sub_device_count(const Seen& topo) {
  const rapidjson::Value* subs = data_at(topo, "sub_devices");
  return subs != nullptr && subs->IsArray() ? subs->Size() : 99;
}

// Drives the session's dock-sim (its model and speed chosen by the group) through remote-debug jobs.
class RemoteDebugDriver {
 public:
  explicit RemoteDebugDriver(SimSession& dock_session) : session(dock_session) {}

  /// The next uplink matching `pred` that arrives after this call (json == nullptr on timeout).
  Seen next(const std::function<bool(const Seen&)>& pred, std::chrono::milliseconds timeout = 10s) {
    std::size_t before = session.cloud().all(pred).size();
    std::vector<Seen> found = session.cloud().wait_count(pred, before + 1, timeout);
    return found.size() > before ? found[before] : Seen{docklink::TopicKind::kStatus, "", nullptr};
  }
  /// A dock OSD after this call whose integer at `path` is `value`.
  bool next_osd_shows(const std::string& path, int value) {
    return next([&](const Seen& seen) {
             return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_in(seen, path) == value;
           }).json != nullptr;
  }
  /// Opens remote debugging and waits until the OSD shows it.
  bool enter_debug_mode() {
    return session.result_of("debug_mode_open") == 0 && session.osd_shows(kSn, "mode_code", 2);
  }
  /// Starts job `method` with `bid`; true when the reply accepts it (result 0, in_progress).
  bool start_job(const std::string& method, const std::string& bid) {
    Seen reply = session.reply_to(session.call(method, "{}", bid));
    return reply.json != nullptr && reply.result() == 0 && status_of(reply) == "in_progress";
  }
  /// The terminal progress event of the job with `bid` (json == nullptr on timeout).
  Seen job_end(const std::string& bid) {
    return session.cloud().wait_for(
        [&](const Seen& seen) {
          std::string status = status_of(seen);
          return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == bid && status != "" &&
                 status != "in_progress";
        },
        15s);
  }
  /// The step_keys the job with `bid` reported, in order, without repeats.
  std::vector<std::string> steps_of(const std::string& bid) {
    std::vector<std::string> steps;
    for (const Seen& seen : session.cloud().all([&](const Seen& s) {
           return s.kind == docklink::TopicKind::kEvents && s.str("bid") == bid && status_of(s) == "in_progress";
         })) {
      std::string step = string_in(seen, "output.progress.step_key");
      if (steps.empty() || steps.back() != step) steps.push_back(step);
    }
    return steps;
  }
  /// Runs job `method` to its end and returns the terminal event.
  Seen run_job(const std::string& method) {
    std::string bid = method + "-bid-" + std::to_string(++jobs_);
    if (!start_job(method, bid)) return Seen{docklink::TopicKind::kStatus, "", nullptr};
    return job_end(bid);
  }

  SimSession& session;

 private:
  int jobs_ = 0;
};

// A session with a driver for each test.
class RemoteDebugGroup : public SimSessionGroup {
 public:
  void setup() override {
    SimSessionGroup::setup();
    dock = std::make_unique<RemoteDebugDriver>(*session);
  }
  void teardown() override {
    dock.reset();
    SimSessionGroup::teardown();
  }

 protected:
  std::unique_ptr<RemoteDebugDriver> dock;
};

}  // namespace

TEST_GROUP_BASE(SimRemoteDebug, RemoteDebugGroup) {
  // 20x: a cover job takes about a second, long enough to send a second command while it runs.
  SessionArgs args{this, {"--speed", "20", "--osd-period-ms", "100"}};
};

TEST(SimRemoteDebug, DebugModeOpenAndCloseSwitchModeCode) {
  Seen open = dock->session.reply_to(dock->session.call("debug_mode_open"));
  CHECK_TRUE(open.json != nullptr);
  LONGS_EQUAL(0, open.result());
  STRCMP_EQUAL("ok", status_of(open).c_str());  // a cmd, not a job: the reply is final
  CHECK_TRUE(dock->next_osd_shows("mode_code", 2));

  Seen close = dock->session.reply_to(dock->session.call("debug_mode_close"));
  CHECK_TRUE(close.json != nullptr);
  LONGS_EQUAL(0, close.result());
  STRCMP_EQUAL("ok", status_of(close).c_str());
  CHECK_TRUE(dock->next_osd_shows("mode_code", 0));
}

TEST(SimRemoteDebug, DroneCloseTakesAircraftOffTopologyAndDroneOpenBringsItBack) {
  CHECK_TRUE(dock->enter_debug_mode());
  Seen off = dock->run_job("drone_close");
  CHECK_TRUE(off.json != nullptr);
  STRCMP_EQUAL("ok", status_of(off).c_str());
  std::vector<std::string> steps = dock->steps_of("drone_close-bid-1");
  CHECK_TRUE(steps.size() >= 2);
  STRCMP_EQUAL("check_scram_state", steps[steps.size() - 2].c_str());
  STRCMP_EQUAL("close_drone", steps.back().c_str());

  Seen gone =
      dock->session.cloud().wait_for([](const Seen& seen) { return is_topo(seen) && sub_device_count(seen) == 0; });
  CHECK_TRUE(gone.json != nullptr);
  CHECK_TRUE(dock->session.osd_shows(kSn, "sub_device.device_online_status", 0));
  // With the aircraft off, its storage cannot be formatted.
  LONGS_EQUAL(325012, dock->session.result_of("drone_format"));

  // The topology goes out just before the job's last event, so count from before the job starts.
  auto with_aircraft = [](const Seen& seen) { return is_topo(seen) && sub_device_count(seen) == 1; };
  std::size_t before = dock->session.cloud().all(with_aircraft).size();
  Seen on = dock->run_job("drone_open");
  CHECK_TRUE(on.json != nullptr);
  STRCMP_EQUAL("ok", status_of(on).c_str());
  std::vector<Seen> back = dock->session.cloud().wait_count(with_aircraft, before + 1, 5s);
  CHECK_TRUE(back.size() > before);
  STRCMP_EQUAL(kAircraft, (*data_at(back.back(), "sub_devices"))[0]["sn"].GetString());
  CHECK_TRUE(dock->next_osd_shows("sub_device.device_online_status", 1));
}

TEST(SimRemoteDebug, ChargeOpenAndCloseShowChargingInOsd) {
  CHECK_TRUE(dock->enter_debug_mode());
  Seen charging = dock->run_job("charge_open");
  CHECK_TRUE(charging.json != nullptr);
  STRCMP_EQUAL("ok", status_of(charging).c_str());
  LONGS_EQUAL(100, int_in(charging, "output.progress.percent"));
  std::vector<std::string> steps = dock->steps_of("charge_open-bid-1");
  CHECK_TRUE(steps.size() >= 2);
  STRCMP_EQUAL("check_cover", steps[steps.size() - 2].c_str());
  STRCMP_EQUAL("start_charge", steps.back().c_str());
  CHECK_TRUE(dock->next_osd_shows("drone_charge_state.state", 1));

  Seen stopped = dock->run_job("charge_close");
  CHECK_TRUE(stopped.json != nullptr);
  STRCMP_EQUAL("ok", status_of(stopped).c_str());
  STRCMP_EQUAL("stop_charge", dock->steps_of("charge_close-bid-2").back().c_str());
  CHECK_TRUE(dock->next_osd_shows("drone_charge_state.state", 0));
}

TEST(SimRemoteDebug, ChargeOpenWithCoverOpenFailsCoverNotInPlace) {
  CHECK_TRUE(dock->enter_debug_mode());
  Seen open = dock->run_job("cover_open");
  CHECK_TRUE(open.json != nullptr);
  STRCMP_EQUAL("ok", status_of(open).c_str());
  CHECK_TRUE(dock->session.osd_shows(kSn, "cover_state", 1));

  // Accepted, then the check_cover step finds the cover open.
  Seen failed = dock->run_job("charge_open");
  CHECK_TRUE(failed.json != nullptr);
  STRCMP_EQUAL("failed", status_of(failed).c_str());
  LONGS_EQUAL(514117, failed.result());
  CHECK_TRUE(dock->next_osd_shows("drone_charge_state.state", 0));
}

TEST(SimRemoteDebug, CoverCloseReportsItsDocumentedSteps) {
  CHECK_TRUE(dock->enter_debug_mode());
  CHECK_TRUE(dock->run_job("cover_open").json != nullptr);
  Seen closed = dock->run_job("cover_close");
  CHECK_TRUE(closed.json != nullptr);
  STRCMP_EQUAL("ok", status_of(closed).c_str());
  std::vector<std::string> expected = {"get_bid",           "check_work_mode",      "check_task_state",
                                       "check_scram_state", "turn_on_drone",        "drone_paddle_forward",
                                       "close_cover",       "drone_paddle_reverse", "drone_paddle_stop"};
  std::vector<std::string> steps = dock->steps_of("cover_close-bid-2");
  LONGS_EQUAL(expected.size(), steps.size());
  for (std::size_t i = 0; i < expected.size() && i < steps.size(); ++i)
    STRCMP_EQUAL(expected[i].c_str(), steps[i].c_str());
  CHECK_TRUE(dock->next_osd_shows("cover_state", 0));
}

TEST(SimRemoteDebug, DeviceRebootReportsItsStepsAndLeavesRemoteDebug) {
  CHECK_TRUE(dock->enter_debug_mode());
  Seen rebooted = dock->run_job("device_reboot");
  CHECK_TRUE(rebooted.json != nullptr);
  STRCMP_EQUAL("ok", status_of(rebooted).c_str());
  LONGS_EQUAL(0, rebooted.result());

  std::vector<std::string> expected = {"get_bid",         "check_ac_input_state", "upgrading_prevent_reboot",
                                       "check_work_mode", "check_task_state",     "write_reboot_param_file"};
  std::vector<std::string> steps = dock->steps_of("device_reboot-bid-1");
  LONGS_EQUAL(expected.size(), steps.size());
  for (std::size_t i = 0; i < expected.size() && i < steps.size(); ++i)
    STRCMP_EQUAL(expected[i].c_str(), steps[i].c_str());
  // Percent never goes back and ends at 100.
  int last = -1;
  for (const Seen& seen : dock->session.cloud().all([](const Seen& s) {
         return s.kind == docklink::TopicKind::kEvents && s.str("bid") == "device_reboot-bid-1";
       })) {
    CHECK_TRUE(int_in(seen, "output.progress.percent") >= last);
    last = int_in(seen, "output.progress.percent");
  }
  LONGS_EQUAL(100, last);
  // The dock comes back idle.
  CHECK_TRUE(dock->next_osd_shows("mode_code", 0));
}

TEST(SimRemoteDebug, DeviceFormatEmptiesDockStorage) {
  CHECK_TRUE(dock->session.osd_shows(kSn, "storage.used", 12 * 1024 * 1024));
  CHECK_TRUE(dock->enter_debug_mode());
  Seen formatted = dock->run_job("device_format");
  CHECK_TRUE(formatted.json != nullptr);
  STRCMP_EQUAL("ok", status_of(formatted).c_str());
  STRCMP_EQUAL("device_format", formatted.str("method").c_str());
  STRCMP_EQUAL("format", dock->steps_of("device_format-bid-1").back().c_str());
  CHECK_TRUE(dock->next_osd_shows("storage.used", 0));

  Seen drone = dock->run_job("drone_format");
  CHECK_TRUE(drone.json != nullptr);
  STRCMP_EQUAL("ok", status_of(drone).c_str());
  CHECK_TRUE(dock->session.osd_shows(kAircraft, "storage.used", 0));
}

TEST(SimRemoteDebug, SecondJobWhileOneRunsIsBusy) {
  CHECK_TRUE(dock->enter_debug_mode());
  CHECK_TRUE(dock->start_job("cover_open", "busy-cover"));
  LONGS_EQUAL(514116, dock->session.result_of("charge_open"));
  LONGS_EQUAL(514116, dock->session.result_of("device_reboot"));
  // Leaving remote debugging mid-job is refused too.
  LONGS_EQUAL(514116, dock->session.result_of("debug_mode_close"));
  Seen done = dock->job_end("busy-cover");
  CHECK_TRUE(done.json != nullptr);
  STRCMP_EQUAL("ok", status_of(done).c_str());
  // Once the job is over the dock takes commands again.
  LONGS_EQUAL(0, dock->session.result_of("debug_mode_close"));
  CHECK_TRUE(dock->next_osd_shows("mode_code", 0));
}

TEST(SimRemoteDebug, JobsOutsideRemoteDebugAreRejected) {
  for (const char* method : {"cover_open", "cover_close", "drone_open", "drone_close", "charge_open", "charge_close",
                             "device_format", "drone_format", "device_reboot", "supplement_light_open"}) {
    Seen reply = dock->session.reply_to(dock->session.call(method));
    CHECK_TEXT(reply.json != nullptr, method);
    CHECK_EQUAL_TEXT(514153, reply.result(), method);
  }
  // Nothing moved.
  CHECK_TRUE(dock->next_osd_shows("cover_state", 0));
}

TEST(SimRemoteDebug, CoverForceCloseWithAircraftInDockFails) {
  // Force-closing is only for an empty dock; with the aircraft inside it fails (cover close failed).
  LONGS_EQUAL(514108, dock->session.result_of("cover_force_close"));
  CHECK_TRUE(dock->enter_debug_mode());
  LONGS_EQUAL(514108, dock->session.result_of("cover_force_close"));
}

TEST(SimRemoteDebug, JobsWhileAircraftIsOutAnswerDockWorking) {
  const std::string flight = "remote-debug-flight";
  LONGS_EQUAL(0, dock->session.result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, dock->session.result_of("flighttask_execute", R"({"flight_id":")" + flight + R"("})"));
  CHECK_TRUE(dock->session.osd_shows(kSn, "drone_in_dock", 0, 20s));
  // The cover must stay open for the landing; remote debugging cannot start while the dock works.
  LONGS_EQUAL(514148, dock->session.result_of("cover_close"));
  LONGS_EQUAL(514148, dock->session.result_of("charge_open"));
  LONGS_EQUAL(514148, dock->session.result_of("debug_mode_open"));
}

TEST(SimRemoteDebug, SupplementLightSwitchesInOsd) {
  CHECK_TRUE(dock->enter_debug_mode());
  Seen on = dock->session.reply_to(dock->session.call("supplement_light_open"));
  CHECK_TRUE(on.json != nullptr);
  LONGS_EQUAL(0, on.result());
  CHECK_TRUE(dock->next_osd_shows("supplement_light_state", 1));
  LONGS_EQUAL(0, dock->session.result_of("supplement_light_close"));
  CHECK_TRUE(dock->next_osd_shows("supplement_light_state", 0));
}

TEST_GROUP_BASE(SimRemoteDebugDock1, RemoteDebugGroup) {
  SessionArgs args{this, {"--model", "dock1", "--speed", "20", "--osd-period-ms", "100"}};
};

TEST(SimRemoteDebugDock1, PutterOpenAndCloseMoveTheDrivingRods) {
  CHECK_TRUE(dock->session.osd_shows(kSn, "putter_state", 0));
  CHECK_TRUE(dock->enter_debug_mode());
  Seen open = dock->run_job("putter_open");
  CHECK_TRUE(open.json != nullptr);
  STRCMP_EQUAL("ok", status_of(open).c_str());
  STRCMP_EQUAL("free_putter", dock->steps_of("putter_open-bid-1").back().c_str());
  CHECK_TRUE(dock->next_osd_shows("putter_state", 1));

  Seen closed = dock->run_job("putter_close");
  CHECK_TRUE(closed.json != nullptr);
  STRCMP_EQUAL("ok", status_of(closed).c_str());
  STRCMP_EQUAL("close_putter", dock->steps_of("putter_close-bid-2").back().c_str());
  CHECK_TRUE(dock->next_osd_shows("putter_state", 0));
}

TEST(SimRemoteDebugDock1, PutterOutsideRemoteDebugIsRejected) {
  LONGS_EQUAL(514153, dock->session.result_of("putter_open"));
}

TEST_GROUP_BASE(SimRemoteDebugDock2Putter, RemoteDebugGroup) {
  SessionArgs args{this, {"--speed", "20", "--osd-period-ms", "100"}};
};

TEST(SimRemoteDebugDock2Putter, PutterOpenIsAnUnknownMethod) {
  CHECK_TRUE(dock->enter_debug_mode());
  // Dock 2 has no driving rods: its thing model lacks the method, so the SDK answers "parameter/format invalid".
  LONGS_EQUAL(325001, dock->session.result_of("putter_open"));
  Seen osd = dock->session.cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && data_at(seen, "cover_state") != nullptr;
  });
  CHECK_TRUE(osd.json != nullptr);
  CHECK_TRUE(data_at(osd, "putter_state") == nullptr);
}
