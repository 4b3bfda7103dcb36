// CppUTest group bases of the dock-sim integration tests (TEST_GROUP_BASE): the new/delete-overload switch, a
// broker per test, and a SimSession per test. Include it after anything that must come before CppUTest's headers.
#pragma once

#include "sim_test_support.hpp"

#include <CppUTest/TestHarness.h>
// After TestHarness.h, which it needs.
#include <CppUTest/MemoryLeakWarningPlugin.h>

namespace simtest {

/// Base of every dock-sim group: CppUTest's new/delete checks are off from setup to teardown, because Paho's
/// threads allocate and free across test boundaries, which those checks misread. A group that overrides setup or
/// teardown calls this one's first (setup) or last (teardown), after releasing what it allocated.
class SimTestGroup : public Utest {
 public:
  void setup() override { MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads(); }
  void teardown() override { MemoryLeakWarningPlugin::restoreNewDeleteOverloads(); }
};

/// A private broker for each test; the test starts its own clouds and simulators against it.
class SimBrokerGroup : public SimTestGroup {
 public:
  void setup() override {
    SimTestGroup::setup();
    broker = std::make_unique<Broker>();
  }
  void teardown() override {
    broker.reset();
    SimTestGroup::teardown();
  }

 protected:
  /// The test's broker.
  std::unique_ptr<Broker> broker;
  /// "--broker <uri> --sn <sn> --log-level warn" followed by `extra`: the arguments of one dock-sim.
  std::vector<std::string> sim_args(const std::string& sn, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> all = {"--broker", broker->uri(), "--sn", sn, "--log-level", "warn"};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }
};

/// A SimSession for each test: started by setup when the group declares a SessionArgs member, else by the test
/// through start_session.
class SimSessionGroup : public SimTestGroup {
 public:
  /// Declared as a member of a group (`SessionArgs args{this, {"--speed", "100"}};`), makes the group's setup start
  /// its session with these dock-sim arguments. A member, not a setup override, so that each group says only how
  /// its dock runs.
  class SessionArgs {
   public:
    SessionArgs(SimSessionGroup* group, std::vector<std::string> args) {
      group->setup_args_ = std::move(args);
      group->starts_in_setup_ = true;
    }
  };

  void setup() override {
    SimTestGroup::setup();
    if (starts_in_setup_) start_session(setup_args_);
  }
  void teardown() override {
    session.reset();  // SimSignals tests the clean exit; the session kills its processes outright
    SimTestGroup::teardown();
  }

 protected:
  /// Starts broker, cloud and dock-sim with `extra` arguments; fails the test unless the dock announced itself.
  void start_session(const std::vector<std::string>& extra) {
    session = std::make_unique<SimSession>(extra);
    CHECK_TRUE_TEXT(session->ready(), session->not_ready().c_str());
  }
  /// Once the flying aircraft is more than 150 m from home, sends return_home and then return_home_cancel, both of
  /// which must succeed: the aircraft then hovers out there under manual control.
  void hover_far_from_dock() {
    Seen far = session->cloud().wait_for(
        [](const Seen& seen) {
          const rapidjson::Value* distance = data_at(seen, "home_distance");
          return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && distance != nullptr &&
                 distance->IsNumber() && distance->GetDouble() > 150;
        },
        std::chrono::seconds(10));
    CHECK_TRUE(far.json != nullptr);
    std::string home = session->call("return_home");
    std::string cancel = session->call("return_home_cancel");
    LONGS_EQUAL(0, session->reply_to(home).result());
    LONGS_EQUAL(0, session->reply_to(cancel).result());
  }
  /// The test's session (null until start_session).
  std::unique_ptr<SimSession> session;

 private:
  std::vector<std::string> setup_args_;
  bool starts_in_setup_ = false;
};

}  // namespace simtest
