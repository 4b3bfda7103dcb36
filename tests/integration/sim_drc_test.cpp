// dock-sim DRC: authority, the DRC link to its broker, heartbeats, streams and sticks.
#include <cmath>

#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

TEST_GROUP_BASE(SimDrc, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100", "--osd-period-ms", "100", "--drc-heartbeat-timeout-s", "2"}};
  std::unique_ptr<DrcCloud> drc;
  void setup() override {
    SimSessionGroup::setup();
    drc = std::make_unique<DrcCloud>(session->broker_uri(), kSn);
    CHECK_TRUE(drc->connected());
  }
  void teardown() override {
    drc.reset();
    SimSessionGroup::teardown();
  }
  // drc_mode_enter naming the test broker as "host:port" (the doc's form).
  std::string enter_data(int osd_hz, int hsi_hz) {
    std::string address = session->broker_uri().substr(std::string("tcp://").size());
    return R"({"mqtt_broker":{"address":")" + address +
           R"(","client_id":"SIMTEST-0001-drc","username":"SIMTEST-0001","password":"jwt","expire_time":)" +
           std::to_string(now_ms() / 1000 + 3600) + R"(,"enable_tls":false},"osd_frequency":)" +
           std::to_string(osd_hz) + R"(,"hsi_frequency":)" + std::to_string(hsi_hz) + "}";
  }
  void heartbeat(std::int64_t stamp) {
    drc->send(R"({"method":"heart_beat","seq":)" + std::to_string(stamp) + R"(,"data":{"timestamp":)" +
              std::to_string(stamp) + "}}");
  }
  bool heartbeat_echoed(std::int64_t stamp) {
    return drc->wait_for([&](const DrcSeen& seen) {
                return seen.method() == "heart_beat" && seen.number("timestamp") == static_cast<double>(stamp);
              })
               .json != nullptr;
  }
  void enter(int osd_hz = 10, int hsi_hz = 2) {
    LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
    LONGS_EQUAL(0, session->result_of("drc_mode_enter", enter_data(osd_hz, hsi_hz)));
    CHECK_TRUE(session->osd_shows(kSn, "drc_state", 2));
  }
  void stick(std::int64_t seq, int pitch) {
    drc->send(R"({"method":"stick_control","seq":)" + std::to_string(seq) + R"(,"data":{"roll":1024,"pitch":)" +
                  std::to_string(pitch) + R"(,"throttle":1024,"yaw":1024,"gimbal_pitch":1024}})",
              5);
  }
};

TEST(SimDrc, EnterNeedsAuthorityAndValidParameters) {
  LONGS_EQUAL(319030, session->result_of("drc_mode_enter", enter_data(10, 1)));
  LONGS_EQUAL(325001, session->result_of("payload_authority_grab", R"({"payload_index":"1-0-0"})"));
  LONGS_EQUAL(0, session->result_of("payload_authority_grab", R"({"payload_index":"80-0-0"})"));
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", enter_data(0, 1)));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", enter_data(10, 31)));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", R"({"osd_frequency":10,"hsi_frequency":1})"));
  LONGS_EQUAL(319021, session->result_of("drc_mode_exit"));  // not in DRC
  // A broker that refuses the connection: accepted, then reported through drc_status_notify.
  std::string refused = std::string(R"({"mqtt_broker":{"address":"127.0.0.1:1","client_id":"c","username":"",)") +
                        R"("password":"","expire_time":0,"enable_tls":false},"osd_frequency":5,"hsi_frequency":1})";
  LONGS_EQUAL(0, session->result_of("drc_mode_enter", refused));
  Seen notify = session->cloud().wait_for(
      [](const Seen& seen) { return is_event(seen, "drc_status_notify") && seen.result() == 514304; }, 8s);
  CHECK_TRUE(notify.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
}

TEST(SimDrc, LinkEchoesHeartbeatsStreamsAtRequestedRatesAndExits) {
  enter(10, 2);
  heartbeat(1111);
  CHECK_TRUE(heartbeat_echoed(1111));
  // The browser demo's key for the timestamp is "ts".
  drc->send(R"({"method":"heart_beat","data":{"ts":2222}})");
  CHECK_TRUE(heartbeat_echoed(2222));

  std::size_t osd_before = drc->count("osd_info_push");
  std::vector<DrcSeen> osd = drc->wait_count("osd_info_push", osd_before + 11);
  CHECK_TRUE(osd.size() >= osd_before + 11);
  auto span = osd.back().at - osd[osd_before].at;  // ten periods at 10 Hz
  CHECK_TRUE(span >= 700ms);
  CHECK_TRUE(span <= 1600ms);
  const DrcSeen& sample = osd.back();
  CHECK_TRUE(sample.data().HasMember("latitude") && sample.data().HasMember("speed_x") &&
             sample.data().HasMember("attitude_head") && sample.data().HasMember("gimbal_pitch"));
  CHECK_TRUE(sample.json->HasMember("timestamp"));
  std::size_t hsi = drc->count("hsi_info_push");
  CHECK_TRUE(hsi >= 1 && hsi <= 5);  // 2 Hz over about a second and a half
  std::vector<DrcSeen> hsi_seen = drc->wait_count("hsi_info_push", 1);
  CHECK_TRUE(hsi_seen.front().data()["around_distances"].IsArray());

  LONGS_EQUAL(0, session->result_of("drc_mode_exit"));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
  // The pushes stop with the link.
  std::size_t after_exit = drc->count("osd_info_push");
  auto dock_osd = [](const Seen& seen) { return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn; };
  std::size_t osd_now = session->cloud().all(dock_osd).size();
  // Five more dock OSD periods (100 ms), in which a live link would have pushed about five times.
  CHECK_TRUE(session->cloud().wait_count(dock_osd, osd_now + 5, 5s).size() >= osd_now + 5);
  CHECK_TRUE(drc->count("osd_info_push") <= after_exit + 1);
}

TEST(SimDrc, NoHeartbeatLeavesDrc) {
  enter(10, 1);
  Seen notify = session->cloud().wait_for(
      [](const Seen& seen) { return is_event(seen, "drc_status_notify") && seen.result() == 514301; }, 6s);
  CHECK_TRUE(notify.json != nullptr);
  LONGS_EQUAL(0, int_in(notify, "drc_state"));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
}

TEST(SimDrc, SticksMoveTheHoveringAircraftAndStaleSeqIsDropped) {
  // Get the aircraft hovering away from the dock: a flight, return_home, return_home_cancel.
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("drc-flight")));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"drc-flight"})"));
  hover_far_from_dock();
  enter(10, 1);
  heartbeat(1);

  auto speed = [](const DrcSeen& seen) { return std::hypot(seen.number("speed_x"), seen.number("speed_y")); };
  stick(10, 1684);  // full forward
  DrcSeen moving =
      drc->wait_for([&](const DrcSeen& seen) { return seen.method() == "osd_info_push" && speed(seen) > 9; });
  CHECK_TRUE(moving.json != nullptr);
  // An older seq (neutral sticks) is ignored: the aircraft keeps flying.
  stick(5, 1024);
  std::size_t before = drc->count("osd_info_push");
  std::vector<DrcSeen> next = drc->wait_count("osd_info_push", before + 3);
  CHECK_TRUE(next.size() >= before + 3);
  for (std::size_t i = before; i < next.size(); ++i) CHECK_TRUE(speed(next[i]) > 9);
  // A newer one stops it.
  stick(11, 1024);
  DrcSeen stopped = drc->wait_for([&](const DrcSeen& seen) {
    return seen.method() == "osd_info_push" && seen.at > next.back().at && speed(seen) < 0.01;
  });
  CHECK_TRUE(stopped.json != nullptr);
  heartbeat(2);

  // drone_control: repeats are silent, an older seq is refused with 319033.
  drc->send(R"({"method":"drone_control","data":{"seq":3,"x":2,"y":0,"h":0,"w":0}})", 5);
  drc->send(R"({"method":"drone_control","data":{"seq":2,"x":0,"y":0,"h":0,"w":0}})");
  DrcSeen refused = drc->wait_for([](const DrcSeen& seen) { return seen.method() == "drone_control"; });
  CHECK_TRUE(refused.json != nullptr);
  LONGS_EQUAL(319033, static_cast<long>(refused.number("result")));
  CHECK_TRUE(drc->wait_for([&](const DrcSeen& seen) {
                  return seen.method() == "osd_info_push" && std::abs(speed(seen) - 2) < 0.01;
                })
                 .json != nullptr);
  heartbeat(3);
  CHECK_TRUE(heartbeat_echoed(3));
  LONGS_EQUAL(1, drc->count("drone_control"));
}

TEST(SimDrc, DeepNestingAndBytesAfterTheDocumentAreRefusedAndTheLinkLivesOn) {
  enter(10, 1);
  heartbeat(1);
  CHECK_TRUE(heartbeat_echoed(1));
  // About 1 MiB of '[' once exhausted the scheduler thread's stack and killed the dock.
  drc->send(std::string(1024 * 1024, '['));
  // A heartbeat followed by a NUL and garbage: the prefix was carried out and echoed.
  std::string with_nul = R"({"method":"heart_beat","data":{"timestamp":77}})";
  with_nul += '\0';
  with_nul += "garbage";
  drc->send(with_nul);
  // A command too deep to parse whose method came first is answered with a non-zero result.
  drc->send(R"({"method":"drone_control","seq":7,"data":{"seq":1,"x":)" + std::string(1000, '[') + "1");
  DrcSeen refused = drc->wait_for([](const DrcSeen& seen) { return seen.method() == "drone_control"; });
  CHECK_TRUE(refused.json != nullptr);
  LONGS_EQUAL(325001, static_cast<long>(refused.number("result")));
  heartbeat(78);
  CHECK_TRUE(heartbeat_echoed(78));
  // drc/down is handled in order, so an echo of 77 would have come before 78's.
  CHECK_TRUE(
      drc->wait_for([](const DrcSeen& seen) { return seen.method() == "heart_beat" && seen.number("timestamp") == 77; },
                    0ms)
          .json == nullptr);
  std::string log = session->sim_log();
  CHECK_TRUE(log.find("refused (drc_too_large)") != std::string::npos);
  CHECK_TRUE(log.find("refused (drc_malformed)") != std::string::npos);
  CHECK_TRUE(log.find("refused (drc_too_deep)") != std::string::npos);
}

TEST(SimDrc, DataThatDoesNotFitTheMethodsGeneratedStructIsRefusedAndAnswered) {
  enter(10, 1);
  heartbeat(1);
  CHECK_TRUE(heartbeat_echoed(1));
  // drone_control without its required x (thing model drc_down), and a heartbeat whose timestamp is text.
  drc->send(R"({"method":"drone_control","data":{"seq":1,"y":0,"h":0,"w":0}})");
  DrcSeen refused = drc->wait_for([](const DrcSeen& seen) { return seen.method() == "drone_control"; });
  CHECK_TRUE(refused.json != nullptr);
  LONGS_EQUAL(325001, static_cast<long>(refused.number("result")));
  drc->send(R"({"method":"heart_beat","data":{"timestamp":"soon"}})");
  heartbeat(2);
  CHECK_TRUE(heartbeat_echoed(2));
  // In order: the refused heartbeat would have been echoed (with 0) before 2's.
  CHECK_TRUE(
      drc->wait_for([](const DrcSeen& seen) { return seen.method() == "heart_beat" && seen.number("timestamp") == 0; },
                    0ms)
          .json == nullptr);
  CHECK_TRUE(session->sim_log().find("data_unfit drone_control") != std::string::npos);
}

TEST(SimDrc, TlsAskedWithAPlainTextBrokerUriIsRefused) {
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  std::string data = enter_data(10, 1);
  // The Java demo's full-URL form, naming plain TCP while asking for TLS.
  std::string host_port = session->broker_uri().substr(std::string("tcp://").size());
  data.replace(data.find(host_port), host_port.size(), session->broker_uri());
  data.replace(data.find(R"("enable_tls":false)"), std::string(R"("enable_tls":false)").size(), R"("enable_tls":true)");
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", data));
  // The same URI without TLS is the cloud's choice and works.
  data.replace(data.find(R"("enable_tls":true)"), std::string(R"("enable_tls":true)").size(), R"("enable_tls":false)");
  LONGS_EQUAL(0, session->result_of("drc_mode_enter", data));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 2));
}
