// CppUTest group base of the tests that need one started client: TEST_GROUP_BASE(Name, StartedClientGroup). It
// includes CppUTest's header, so include it where that goes: last.
#pragma once

#include <memory>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::test {

/// A ClientRig per test, started, with its update_topo seen by the cloud before the test body runs.
class StartedClientGroup : public Utest {
 public:
  void setup() override {
    rig = std::make_unique<ClientRig>();
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }

 protected:
  /// The test's client, its loopback broker and its cloud.
  std::unique_ptr<ClientRig> rig;
};

}  // namespace docklink::test
