// dock-sim end to end: connect, remote debugging, property set, fleets and signals, driven by a scripted cloud.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

TEST_GROUP_BASE(SimDock, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "50", "--osd-period-ms", "200"}};
  TestCloud* cloud = nullptr;
  void setup() override {
    SimSessionGroup::setup();
    cloud = &session->cloud();
  }
  std::string call(const char* method, const char* data = "{}") { return session->call(method, data); }
  Seen reply_to(const std::string& tid) { return session->reply_to(tid); }
};

TEST(SimDock, SendsTopologyAndConfigRequestOnConnect) {
  Seen topo = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kStatus && seen.sn == kSn && seen.str("method") == "update_topo";
  });
  CHECK_TRUE(topo.json != nullptr);
  STRCMP_EQUAL("3", topo.data()["domain"].GetString());
  LONGS_EQUAL(2, int_at(topo.data(), "type"));
  const rapidjson::Value& subs = topo.data()["sub_devices"];
  LONGS_EQUAL(1, subs.Size());
  STRCMP_EQUAL(kAircraft, subs[0]["sn"].GetString());
  LONGS_EQUAL(91, int_at(subs[0], "type"));

  Seen config = cloud->wait_for(
      [](const Seen& seen) { return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == "config"; });
  CHECK_TRUE(config.json != nullptr);
  STRCMP_EQUAL("product", config.data()["config_scope"].GetString());
}

TEST(SimDock, FlightAreasUpdateMakesTheDockAskForTheFiles) {
  Seen reply = reply_to(call("flight_areas_update"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  Seen request = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == "flight_areas_get";
  });
  CHECK_TRUE(request.json != nullptr);
  STRCMP_EQUAL(kSn, request.sn.c_str());
}

TEST(SimDock, CoverOpenOutsideRemoteDebugIsRejected) {
  Seen reply = reply_to(call("cover_open"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(514153, reply.result());
}

TEST(SimDock, CoverOpenJobInRemoteDebugReportsProgressAndOpensCover) {
  Seen debug = reply_to(call("debug_mode_open"));
  CHECK_TRUE(debug.json != nullptr);
  LONGS_EQUAL(0, debug.result());
  cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_at(seen.data(), "mode_code") == 2;
  });

  std::string bid = "cover-open-bid";
  std::string tid = cloud->send(docklink::TopicKind::kServices, kSn, "cover_open", "{}", bid);
  Seen reply = reply_to(tid);
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("in_progress", status_of(reply).c_str());

  Seen step = cloud->wait_for([&](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == bid && status_of(seen) == "in_progress";
  });
  CHECK_TRUE(step.json != nullptr);
  STRCMP_EQUAL("cover_open", step.str("method").c_str());
  Seen done = cloud->wait_for(
      [&](const Seen& seen) {
        return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == bid && status_of(seen) == "ok";
      },
      10s);
  CHECK_TRUE(done.json != nullptr);
  Seen open = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_at(seen.data(), "cover_state") == 1;
  });
  CHECK_TRUE(open.json != nullptr);

  // A second job while the dock is in remote debug but idle is accepted; the dock answers busy only mid-job.
  std::string first = call("cover_close");
  std::string second = call("charge_open");
  LONGS_EQUAL(0, reply_to(first).result());
  LONGS_EQUAL(514116, reply_to(second).result());
}

TEST(SimDock, PropertySetAnswersPerPropertyAndShowsInOsd) {
  std::string tid = cloud->send(docklink::TopicKind::kPropertySet, kSn, "", R"({"height_limit":250})");
  Seen reply = cloud->wait_for(
      [&](const Seen& seen) { return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid; });
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, int_at(reply.data()["height_limit"], "result"));
  Seen osd = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && int_at(seen.data(), "height_limit") == 250;
  });
  CHECK_TRUE(osd.json != nullptr);

  tid = cloud->send(docklink::TopicKind::kPropertySet, kSn, "", R"({"height_limit":5})");
  reply = cloud->wait_for(
      [&](const Seen& seen) { return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid; });
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(325001, int_at(reply.data()["height_limit"], "result"));
}

TEST_GROUP_BASE(SimFleet, SimBrokerGroup){};

TEST(SimFleet, TwentyDocksAllSendTopology) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  Simulator sim(broker->dir() + "/fleet.log", {"--broker", broker->uri(), "--docks", "20", "--sn-prefix", "FLEET-",
                                               "--model", "dock3", "--log-level", "warn"});
  auto sns = cloud.wait_distinct(
      [](const Seen& seen) {
        return seen.kind == docklink::TopicKind::kStatus && seen.str("method") == "update_topo" &&
               seen.sn.rfind("FLEET-", 0) == 0;
      },
      20, 15s);
  LONGS_EQUAL(20, sns.size());
  CHECK_TRUE(sns.count("FLEET-0001") == 1 && sns.count("FLEET-0020") == 1);
  LONGS_EQUAL(0, sim.stop(SIGTERM, 10s));
}

TEST_GROUP_BASE(SimSignals, SimBrokerGroup){};

TEST(SimSignals, SigtermAfterConnectExitsZero) {
  TestCloud cloud(broker->uri());
  Simulator sim(broker->dir() + "/sig.log", sim_args("SIGTEST-1"));
  Seen topo = cloud.wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; });
  CHECK_TRUE(topo.json != nullptr);
  LONGS_EQUAL(0, sim.stop(SIGTERM, 5s));
}

TEST(SimSignals, SigintExitsZero) {
  TestCloud cloud(broker->uri());
  Simulator sim(broker->dir() + "/int.log", sim_args("SIGTEST-2"));
  Seen topo = cloud.wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; });
  CHECK_TRUE(topo.json != nullptr);
  LONGS_EQUAL(0, sim.stop(SIGINT, 5s));
}
