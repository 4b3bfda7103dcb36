// dock-sim --processes: a fleet split over worker processes keeps every dock's SN, announces the fleet once and
// stops cleanly on SIGTERM.
#include <fstream>

#include "sim_test_groups.hpp"

using namespace simtest;

namespace {

// base0001 .. base<count>, as dock_sn() numbers a fleet.
std::set<std::string> numbered_sns(const std::string& base, int count) {
  std::set<std::string> sns;
  for (int i = 1; i <= count; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "%04d", i);
    sns.insert(base + number);
  }
  return sns;
}

// Distinct SNs starting with `prefix` that sent update_topo, once `count` did (or 15 s passed).
std::set<std::string> topology_sns(TestCloud& cloud, const std::string& prefix, std::size_t count) {
  return cloud.wait_distinct(
      [&](const Seen& seen) {
        return seen.kind == docklink::TopicKind::kStatus && seen.str("method") == "update_topo" &&
               seen.sn.rfind(prefix, 0) == 0;
      },
      count, 15s);
}

// How many lines of the file at `path` start with `prefix`.
int lines_starting_with(const std::string& path, const std::string& prefix) {
  std::ifstream file(path);
  int count = 0;
  for (std::string line; std::getline(file, line);) {
    if (line.rfind(prefix, 0) == 0) ++count;
  }
  return count;
}

}  // namespace

TEST_GROUP_BASE(SimProcesses, SimBrokerGroup){};

TEST(SimProcesses, TwelveDocksInThreeProcessesKeepTheirSnsAndStopOnSigterm) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  const std::string log = broker->dir() + "/processes.log";
  Simulator sim(log, {"--broker", broker->uri(), "--docks", "12", "--processes", "3", "--sn-prefix", "PROC-",
                      "--log-level", "warn"});
  // The SNs a single process gives a 12-dock fleet with this prefix (SimFleet checks that rule).
  CHECK_TRUE(topology_sns(cloud, "PROC-", 12) == numbered_sns("PROC-", 12));
  int status = sim.stop(SIGTERM, 10s);
  if (status != 0) std::fprintf(stderr, "%s", file_text(log).c_str());  // what the workers said
  LONGS_EQUAL(0, status);
  // The parent announces the fleet once; the workers print nothing of their own.
  LONGS_EQUAL(12, lines_starting_with(log, "dock-sim: dock PROC-"));
  LONGS_EQUAL(1, lines_starting_with(log, "dock-sim: 12 dock(s) started against " + broker->uri()));
  LONGS_EQUAL(1, lines_starting_with(log, "dock-sim: stopping (SIGTERM)"));
  LONGS_EQUAL(1, lines_starting_with(log, "dock-sim: stopped"));
}

TEST(SimProcesses, ExactSnIsNumberedAcrossWorkers) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  Simulator sim(broker->dir() + "/sn.log", {"--broker", broker->uri(), "--docks", "4", "--processes", "2", "--sn",
                                            "EXACT", "--log-level", "warn"});
  CHECK_TRUE(topology_sns(cloud, "EXACT", 4) == numbered_sns("EXACT-", 4));
  LONGS_EQUAL(0, sim.stop(SIGINT, 10s));
}

TEST(SimProcesses, FailingWorkerMakesTheFleetExitNonZero) {
  // A broker URI Paho refuses makes every worker fail at init.
  Simulator sim(broker->dir() + "/fail.log",
                {"--broker", "bogus://127.0.0.1:1", "--docks", "4", "--processes", "2", "--log-level", "off"});
  CHECK_TRUE(sim.started());
  LONGS_EQUAL(1, sim.stop(0, 10s));  // signal 0: only waits for the exit
}
