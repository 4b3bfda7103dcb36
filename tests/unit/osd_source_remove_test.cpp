// remove_osd_source() waits for a fill that is running on another thread, and after it returns that fill never
// runs again; called from inside the fill itself it returns at once (waiting would be waiting for itself).
#include <atomic>
#include <string>
#include <thread>

#include "client_fixture.hpp"

#include "started_client_group.hpp"  // includes CppUTest's header: last

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::eventually;
using docklink::test::kAircraftSn;
using docklink::test::kDockSn;
using docklink::test::StartedClientGroup;

namespace {

// A second source on the same strand: once it has filled `count` more times, a stale run of a removed source
// (already posted when it was removed) would have run too.
void wait_for_other_source_fills(ClientRig& rig, int count) {
  std::atomic<int> fills{0};
  CHECK_TRUE(rig.client
                 ->set_osd_source(kAircraftSn, std::chrono::milliseconds(5),
                                  [&](std::string& out) {
                                    ++fills;
                                    out = "{}";
                                  })
                 .is_ok());
  CHECK_TRUE(eventually([&] { return fills.load() >= count; }));
  rig.client->remove_osd_source(kAircraftSn);
}

}  // namespace

TEST_GROUP_BASE(OsdSourceRemove, StartedClientGroup){};

TEST(OsdSourceRemove, RemoveWaitsForTheRunningFillAndItNeverRunsAgain) {
  std::atomic<bool> in_fill{false};
  std::atomic<bool> entered{false};
  std::atomic<bool> removed{false};
  std::atomic<int> runs_after_remove{0};
  std::atomic<int> fills{0};
  CHECK_TRUE(rig->client
                 ->set_osd_source(kDockSn, std::chrono::milliseconds(5),
                                  [&](std::string& out) {
                                    if (removed.load()) ++runs_after_remove;
                                    in_fill = true;
                                    if (++fills == 1) {
                                      entered = true;
                                      // Stay inside until remove_osd_source() says it is waiting for this fill.
                                      eventually([&] { return rig->log.contains("waiting for its running fill"); });
                                    }
                                    out = "{}";
                                    in_fill = false;
                                  })
                 .is_ok());
  CHECK_TRUE(eventually([&] { return entered.load(); }));
  std::atomic<bool> fill_was_running_at_return{true};
  std::thread remover([&] {
    rig->client->remove_osd_source(kDockSn);
    fill_was_running_at_return = in_fill.load();
    removed = true;
  });
  remover.join();
  CHECK_FALSE(fill_was_running_at_return.load());
  wait_for_other_source_fills(*rig, 3);
  LONGS_EQUAL(0, runs_after_remove.load());
}

TEST(OsdSourceRemove, RemoveFromInsideItsOwnFillReturnsAndStopsIt) {
  std::atomic<int> fills{0};
  std::atomic<bool> returned{false};
  CHECK_TRUE(rig->client
                 ->set_osd_source(kDockSn, std::chrono::milliseconds(5),
                                  [&](std::string& out) {
                                    ++fills;
                                    rig->client->remove_osd_source(kDockSn);
                                    returned = true;
                                    out = "{}";
                                  })
                 .is_ok());
  CHECK_TRUE(eventually([&] { return returned.load(); }));
  wait_for_other_source_fills(*rig, 3);
  LONGS_EQUAL(1, fills.load());
}
