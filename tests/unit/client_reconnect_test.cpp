// The reconnect backoff rule (issue #12). A connection that finished its set-up (update_topo acknowledged) and
// then stayed up ready_stable_ms resets the backoff when it ends, so every broker restart is followed by the
// first, short delay. Connections lost earlier, and set-ups that never finished, grow the delay as failed
// attempts do. Refused credentials (kAuth) follow their own, slower schedule. Time is moved forward on an
// adjustable clock; the delay bound each loss or failure chose is read from the counters, under the same lock.
#include <memory>
#include <mutex>
#include <vector>

#include "backoff.hpp"
#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::eventually;
using docklink::test::kDockSn;

namespace {

constexpr std::int64_t kInitialMs = 10;

/// Small network delays, each attempt's bound distinct (10, 20, 40... up to 10 s); refusals 20 ms doubling to 80.
ClientOptions reconnect_options() {
  ClientOptions options = docklink::test::dock_options();
  options.backoff.initial_ms = kInitialMs;
  options.backoff.max_ms = 10000;
  options.backoff.auth_initial_ms = 20;
  options.backoff.auth_max_ms = 80;
  return options;
}

}  // namespace

TEST_GROUP(ClientReconnect) {
  std::unique_ptr<ClientRig> rig;
  void setup() override { rig = std::make_unique<ClientRig>(reconnect_options()); }
  void teardown() override { rig.reset(); }

  Counters counters() { return rig->client->counters(); }
  std::int64_t stable_ms() const { return reconnect_options().backoff.ready_stable_ms; }

  /// Waits until `ready` connections in all finished their set-up.
  bool wait_ready(std::uint64_t ready) {
    return eventually([&] { return counters().connections_ready >= ready; });
  }

  /// Drops the dock's connection as a broker restart does; returns the counters once the loss was handled.
  Counters drop() {
    const std::uint64_t before = counters().disconnects;
    LONGS_EQUAL(1, rig->broker.drop_connection(kDockSn));
    CHECK_TRUE(eventually([&] { return counters().disconnects > before; }));
    return counters();
  }
};

TEST(ClientReconnect, EveryRestartAfterAStableReadyConnectionStartsFromTheFirstDelay) {
  CHECK_TRUE(rig->start_and_wait_topology());
  CHECK_TRUE(wait_ready(1));
  for (std::uint64_t restart = 1; restart <= 5; ++restart) {
    rig->clock.advance(stable_ms());
    Counters after = drop();
    LONGS_EQUAL(restart, after.backoff_resets);
    LONGS_EQUAL(kInitialMs, after.reconnect_bound_ms);
    CHECK_TRUE(wait_ready(restart + 1));
  }
  LONGS_EQUAL(0, counters().connect_failures);
}

TEST(ClientReconnect, ConnectionsLostBeforeTheyWereStableGrowTheDelay) {
  CHECK_TRUE(rig->start_and_wait_topology());
  CHECK_TRUE(wait_ready(1));
  rig->clock.advance(stable_ms() / 2);
  LONGS_EQUAL(kInitialMs, drop().reconnect_bound_ms);
  for (std::uint64_t loss = 1; loss <= 3; ++loss) {
    CHECK_TRUE(wait_ready(loss + 1));
    LONGS_EQUAL(kInitialMs << loss, drop().reconnect_bound_ms);
  }
  LONGS_EQUAL(0, counters().backoff_resets);
  // Once a connection is ready and stable again, the next loss starts from the first delay.
  CHECK_TRUE(wait_ready(5));
  rig->clock.advance(stable_ms());
  Counters after = drop();
  LONGS_EQUAL(1, after.backoff_resets);
  LONGS_EQUAL(kInitialMs, after.reconnect_bound_ms);
}

TEST(ClientReconnect, ASetUpThatNeverFinishedResetsOnlyAfterTheLongUptime) {
  rig->cloud.set_auto_status_reply(false);  // update_topo is never acknowledged
  CHECK_TRUE(rig->start_and_wait_topology());
  rig->clock.advance(2 * stable_ms());
  LONGS_EQUAL(kInitialMs, drop().reconnect_bound_ms);
  CHECK_TRUE(eventually([&] { return counters().connects >= 2; }));
  rig->clock.advance(2 * stable_ms());
  Counters after = drop();
  LONGS_EQUAL(2 * kInitialMs, after.reconnect_bound_ms);
  LONGS_EQUAL(0, after.backoff_resets);
  LONGS_EQUAL(0, after.connections_ready);
  CHECK_TRUE(eventually([&] { return counters().connects >= 3; }));
  rig->clock.advance(reconnect_options().backoff.reset_after_ms);
  after = drop();
  LONGS_EQUAL(1, after.backoff_resets);
  LONGS_EQUAL(kInitialMs, after.reconnect_bound_ms);
}

TEST(ClientReconnect, RefusedCredentialsAreReportedAndRetriedOnTheirOwnSlowerSchedule) {
  struct Downs {
    std::mutex mutex;
    std::vector<StatusCode> codes;
  };
  // Shared with the callback, which the still-running client may call after this body returned.
  auto downs = std::make_shared<Downs>();
  rig->client->on_connection_changed([downs](bool up, const Status& status) {
    std::lock_guard<std::mutex> lock(downs->mutex);
    if (!up) downs->codes.push_back(status.code());
  });
  rig->broker.set_refuse_connections(true, StatusCode::kAuth);
  CHECK_TRUE(rig->client->start().is_ok());
  CHECK_TRUE(eventually([&] { return counters().auth_refusals >= 4; }));
  Counters refused = counters();
  const BackoffOptions& backoff = reconnect_options().backoff;
  LONGS_EQUAL(docklink::detail::auth_retry_bound_ms(backoff, static_cast<unsigned>(refused.auth_refusals - 1)),
              refused.reconnect_bound_ms);
  LONGS_EQUAL(backoff.auth_max_ms, refused.reconnect_bound_ms);  // 20, 40, 80, then capped
  {
    std::lock_guard<std::mutex> lock(downs->mutex);
    CHECK_FALSE(downs->codes.empty());
    LONGS_EQUAL(static_cast<int>(StatusCode::kAuth), static_cast<int>(downs->codes.front()));
  }
  // Accepted credentials end the refusal schedule; the network's backoff was not touched by it.
  rig->broker.set_refuse_connections(false);
  CHECK_TRUE(wait_ready(1));
  LONGS_EQUAL(kInitialMs, drop().reconnect_bound_ms);
  CHECK_TRUE(wait_ready(2));
  rig->broker.set_refuse_connections(true, StatusCode::kAuth);
  drop();
  const std::uint64_t before = refused.auth_refusals;
  CHECK_TRUE(eventually([&] { return counters().auth_refusals > before; }));
  // The refusal schedule starts again from its first delay: the bound follows the refusals since the CONNACK.
  Counters again = counters();
  LONGS_EQUAL(docklink::detail::auth_retry_bound_ms(backoff, static_cast<unsigned>(again.auth_refusals - before - 1)),
              again.reconnect_bound_ms);
}

TEST(ClientReconnect, NetworkRefusalsAreNotCountedAsAuthRefusals) {
  rig->broker.set_refuse_connections(true, StatusCode::kIo);
  CHECK_TRUE(rig->client->start().is_ok());
  CHECK_TRUE(eventually([&] { return counters().connect_failures >= 3; }));
  Counters failed = counters();
  LONGS_EQUAL(0, failed.auth_refusals);
  LONGS_EQUAL(docklink::detail::backoff_bound_ms(reconnect_options().backoff,
                                                 static_cast<unsigned>(failed.connect_failures - 1)),
              failed.reconnect_bound_ms);
}
