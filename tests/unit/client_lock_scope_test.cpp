// The client lock is never held across a call into the Store or Log ports: a store write may fsync, and the
// transport's receive thread (shared by every client of the process) takes that lock for each message.
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/ports/memory_store.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::kDockSn;

namespace {

/// Tells, from inside a port call, whether another thread can take the client's lock meanwhile.
class LockProbe {
 public:
  void attach(Client& client) { client_ = &client; }

  /// Called from a port; records whether the lock was free. Never waits for the probe to finish (it finishes
  /// when the port call returns, if the lock was held).
  void check() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (client_ == nullptr || checking_) return;
    checking_ = true;
    Client* client = client_;
    probes_.push_back(std::async(std::launch::async, [client] { return client->counters().offline_queued; }));
    // Only separates "free now" from "held until this port call returns", which would be forever.
    if (probes_.back().wait_for(std::chrono::seconds(5)) != std::future_status::ready) ++held_;
    ++checks_;
    checking_ = false;
  }
  int held() {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_;
  }
  int checks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return checks_;
  }
  /// Waits for every probe (call before the client goes away).
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    client_ = nullptr;
    for (auto& probe : probes_) probe.wait();
  }

 private:
  std::mutex mutex_;
  Client* client_ = nullptr;
  bool checking_ = false;
  int held_ = 0;
  int checks_ = 0;
  std::vector<std::future<std::uint64_t>> probes_;
};

class ProbingStore : public ports::MemoryStore {
 public:
  explicit ProbingStore(LockProbe& probe) : probe_(probe) {}
  Status put(std::string_view key, std::string_view value) override {
    probe_.check();
    return MemoryStore::put(key, value);
  }
  Status remove(std::string_view key) override {
    probe_.check();
    return MemoryStore::remove(key);
  }

 private:
  LockProbe& probe_;
};

class ProbingLog : public port::Log {
 public:
  explicit ProbingLog(LockProbe& probe) : probe_(probe) {}
  bool enabled(port::LogLevel) const override { return true; }
  void write(port::LogLevel, std::string_view, std::string_view message) override {
    if (message.find("dropped") != std::string_view::npos) probe_.check();
  }

 private:
  LockProbe& probe_;
};

/// A client on the loopback broker whose store and log probe the client lock.
struct ProbedRig {
  LockProbe probe;
  ProbingStore store{probe};
  ProbingLog log{probe};
  test::SteadyClock clock;
  test::SeededRandom random;
  ports::LoopbackBroker broker;
  test::FakeCloud cloud{broker};
  Runtime runtime{clock};
  std::unique_ptr<ports::LoopbackTransport> transport;
  std::unique_ptr<Client> client;

  explicit ProbedRig(ClientOptions options) {
    transport = std::make_unique<ports::LoopbackTransport>(broker, options.gateway.sn);
    port::Platform platform{&clock, &random, &log, &store};
    client = Client::create(std::move(options), platform, *transport, runtime).value();
    probe.attach(*client);
  }
  ~ProbedRig() {
    probe.finish();
    client.reset();
  }
};

}  // namespace

TEST_GROUP(ClientLockScope){};

TEST(ClientLockScope, StoreWritesRunWithoutTheClientLock) {
  ProbedRig rig(test::dock_options());
  rig.broker.set_refuse_connections(true, StatusCode::kIo);
  CHECK_TRUE(rig.client->start().is_ok());
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig.client->publish_event("kept_event", "{}", options).is_ok());
  CHECK_TRUE(rig.client->publish_event("kept_plain", "{}").is_ok());
  CHECK_TRUE(rig.probe.checks() >= 2);
  LONGS_EQUAL(0, rig.probe.held());
}

TEST(ClientLockScope, DropLogLinesAreWrittenWithoutTheClientLock) {
  ClientOptions options = test::dock_options();
  options.offline_queue.max_messages = 1;
  ProbedRig rig(options);
  rig.broker.set_refuse_connections(true, StatusCode::kIo);
  CHECK_TRUE(rig.client->start().is_ok());
  for (int i = 0; i < 3; ++i) CHECK_TRUE(rig.client->publish_event("e" + std::to_string(i), "{}").is_ok());
  CHECK_TRUE(rig.probe.checks() >= 1);
  LONGS_EQUAL(0, rig.probe.held());
}
