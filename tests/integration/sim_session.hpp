// A broker, the test cloud and one simulated dock, as most dock-sim tests use them.
#pragma once

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "docklink/topics.hpp"
#include "sim_processes.hpp"
#include "sim_seen.hpp"
#include "sim_test_cloud.hpp"

namespace simtest {

using namespace std::chrono_literals;

/// The SN of the dock a SimSession starts.
constexpr const char* kSn = "SIMTEST-0001";
/// The SN of its aircraft.
constexpr const char* kAircraft = "SIMTEST-0001-UAV";

/// A broker, the test cloud and one simulated dock (SN kSn) started with `extra` arguments.
class SimSession {
 public:
  explicit SimSession(const std::vector<std::string>& extra) {
    broker_ = std::make_unique<Broker>();
    if (broker_->uri().empty()) {
      not_ready_ = "the broker did not start";
      return;
    }
    cloud_ = std::make_unique<TestCloud>(broker_->uri());
    if (!cloud_->connected()) {
      not_ready_ = "the test cloud did not connect to " + broker_->uri();
      return;
    }
    std::vector<std::string> args = {"--broker", broker_->uri(), "--sn", kSn, "--log-level", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    sim_ = std::make_unique<Simulator>(broker_->dir() + "/sim.log", args);
    if (!sim_->started()) {
      not_ready_ = "dock-sim did not start";
      return;
    }
    // The dock subscribes before it sends update_topo, so services sent after it are not lost.
    ready_ =
        cloud_->wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; }).json != nullptr;
    if (!ready_) not_ready_ = "no status from the dock within 5 s; dock-sim's output:\n" + sim_log();
  }
  /// Kills simulator and broker outright: their clean shutdown takes seconds and SimSignals already tests it.
  ~SimSession() {
    sim_.reset();
    cloud_.reset();
    if (broker_) broker_->kill_now();
  }
  SimSession(const SimSession&) = delete;
  SimSession& operator=(const SimSession&) = delete;
  /// True when broker, cloud and simulator are up and the dock announced itself.
  bool ready() const { return ready_; }
  /// Why ready() is false (empty when it is true): what a failed set-up check prints.
  const std::string& not_ready() const { return not_ready_; }
  /// What dock-sim printed so far.
  std::string sim_log() const { return file_text(broker_->dir() + "/sim.log"); }
  TestCloud& cloud() { return *cloud_; }
  /// Sends `signal` to dock-sim and waits up to `timeout` for its exit; its exit status (-1 on timeout).
  int stop_sim(int signal, std::chrono::milliseconds timeout) { return sim_->stop(signal, timeout); }
  const std::string& broker_uri() const { return broker_->uri(); }
  /// Sends a service (optionally with its bid) and returns its tid.
  std::string call(const std::string& method, const std::string& data = "{}", const std::string& bid = "") {
    return cloud_->send(docklink::TopicKind::kServices, kSn, method, data, bid);
  }
  /// The services_reply to `tid` (json == nullptr on timeout).
  Seen reply_to(const std::string& tid) {
    return cloud_->wait_for([&](const Seen& seen) { return is_reply_to(seen, tid); });
  }
  /// data.result of the reply to a service (-100 when none came).
  int result_of(const std::string& method, const std::string& data = "{}") {
    Seen reply = reply_to(call(method, data));
    return reply.json != nullptr ? reply.result() : -100;
  }
  /// Waits for an OSD of `sn` whose integer at `path` equals `value`.
  bool osd_shows(const std::string& sn, const std::string& path, int value,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return cloud_
               ->wait_for(
                   [&](const Seen& seen) {
                     return seen.kind == docklink::TopicKind::kOsd && seen.sn == sn && int_in(seen, path) == value;
                   },
                   timeout)
               .json != nullptr;
  }

 private:
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<TestCloud> cloud_;
  std::unique_ptr<Simulator> sim_;
  bool ready_ = false;
  std::string not_ready_;
};

}  // namespace simtest
