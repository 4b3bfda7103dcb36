// OpenSSL must still be intact when a process using the Paho or curl port has finished exiting: Paho C's detached
// threads may still be running OpenSSL's per-thread cleanup then, and OpenSSL's own exit handler freeing the same
// state underneath them aborted dock-cloud with "double free or corruption" (seen under qemu, aarch64).
// tests/probes/openssl_exit_probe.cpp reports the state through its exit status.
#include <chrono>
#include <string>

#include "sim_processes.hpp"

// CppUTest last: its leak-detection macros redefine `new` for what follows.
#include <CppUTest/TestHarness.h>

using namespace simtest;

namespace {

constexpr int kOpensslIntact = 0;

int probe_exit_status(const std::string& mode) {
  ChildProcess probe("docklink-exit-probe", {mode}, "/dev/null");
  if (!probe.started()) return -1;
  return probe.wait_exit(std::chrono::seconds(60));
}

}  // namespace

TEST_GROUP(OpensslExit){};

TEST(OpensslExit, PahoPortLeavesOpensslToTheThreadsStillEnding) {
  LONGS_EQUAL(kOpensslIntact, probe_exit_status("paho"));
}

TEST(OpensslExit, CurlPortLeavesOpensslToTheThreadsStillEnding) {
  LONGS_EQUAL(kOpensslIntact, probe_exit_status("curl"));
}
