// dock-sim's --processes: a number, or auto (one worker per kDocksPerWorkerProcess docks).
#include <string>
#include <vector>

#include "sim_options.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using docklink::sim::kDocksPerWorkerProcess;
using docklink::sim::parse_sim_options;
using docklink::sim::SimOptions;

namespace {

// Parses `args` after the program name and a broker; false with `error` set when they are refused.
bool parse(std::vector<std::string> args, SimOptions& options, std::string& error) {
  args.insert(args.begin(), {"dock-sim", "--broker", "tcp://127.0.0.1:1883"});
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  return parse_sim_options(static_cast<int>(argv.size()), argv.data(), options, error);
}

// The worker count --processes auto gives a fleet of `docks`.
int auto_processes(int docks) {
  SimOptions options;
  std::string error;
  CHECK_TEXT(parse({"--docks", std::to_string(docks), "--processes", "auto"}, options, error), error.c_str());
  return options.processes;
}

}  // namespace

TEST_GROUP(SimProcessesOption){};

TEST(SimProcessesOption, AutoStartsAWorkerPerFullOrPartSliceOfDocks) {
  LONGS_EQUAL(1, auto_processes(1));
  LONGS_EQUAL(1, auto_processes(kDocksPerWorkerProcess));
  LONGS_EQUAL(2, auto_processes(kDocksPerWorkerProcess + 1));
  LONGS_EQUAL(4, auto_processes(4 * kDocksPerWorkerProcess));
}

// Measured on dock-sim (sim_options.hpp): a process's connect time grows with the square of its docks, so a
// 10,000-dock fleet needs four workers, not two.
TEST(SimProcessesOption, AutoSplitsTenThousandDocksOverFourWorkers) { LONGS_EQUAL(4, auto_processes(10000)); }

TEST(SimProcessesOption, ExplicitCountMustFitTheFleet) {
  SimOptions options;
  std::string error;
  CHECK(parse({"--docks", "3", "--processes", "3"}, options, error));
  LONGS_EQUAL(3, options.processes);
  CHECK_FALSE(parse({"--docks", "3", "--processes", "4"}, options, error));
  CHECK_FALSE(parse({"--docks", "3", "--processes", "0"}, options, error));
}
