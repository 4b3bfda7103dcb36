// Clients of one Runtime through its connect gate: with a transport that answers only when the test says so, the
// test sees exactly which clients are connecting and that each end of an attempt lets the next waiter in.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "connect_gate.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;

namespace {

class HeldTransport;

/// The order in which transports were asked to connect, shared by a fleet of HeldTransports.
class AttemptLog {
 public:
  void add(HeldTransport* transport) {
    std::lock_guard<std::mutex> lock(mutex_);
    attempts_.push_back(transport);
    changed_.notify_all();
  }
  /// Waits until `count` attempts were made (ctest's timeout catches a hang), then returns the `index`th.
  HeldTransport* wait_for(std::size_t count, std::size_t index) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return attempts_.size() >= count; });
    return attempts_[index];
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return attempts_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<HeldTransport*> attempts_;
};

/// Accepts connect() and answers only when the test calls answer(): a connect the broker has not replied to yet.
class HeldTransport : public port::Transport {
 public:
  explicit HeldTransport(AttemptLog& log) : log_(log) {}
  void set_listener(port::TransportListener* listener) override { listener_ = listener; }
  Status connect() override {
    log_.add(this);
    return Status::ok();
  }
  void answer(bool connected, Status status = Status::ok()) {
    connected_ = connected;
    listener_->on_connection_changed(connected, status, false);
  }
  void disconnect(std::chrono::milliseconds) override { connected_ = false; }
  bool is_connected() const override { return connected_; }
  Status publish(std::string_view, std::string_view, port::Qos, port::PublishId) override { return Status::ok(); }
  Status subscribe(std::string_view, port::Qos) override { return Status::ok(); }
  Status unsubscribe(std::string_view) override { return Status::ok(); }

 private:
  AttemptLog& log_;
  port::TransportListener* listener_ = nullptr;
  bool connected_ = false;
};

RuntimeOptions gate_of(std::size_t turns) {
  RuntimeOptions options;
  options.max_concurrent_connects = turns;
  return options;
}

/// `count` docks on one Runtime whose gate allows `turns` connects at once; none reconnects by itself.
struct GatedFleet {
  test::AdjustableClock clock;
  test::SeededRandom random;
  test::RecordingLog log;
  Runtime runtime;
  AttemptLog attempts;
  std::vector<std::unique_ptr<HeldTransport>> transports;
  std::vector<std::unique_ptr<Client>> clients;

  GatedFleet(std::size_t count, std::size_t turns) : runtime(clock, gate_of(turns)) {
    for (std::size_t i = 0; i < count; ++i) {
      ClientOptions options = test::dock_options("DOCK" + std::to_string(i));
      options.auto_reconnect = false;
      transports.push_back(std::make_unique<HeldTransport>(attempts));
      port::Platform platform{&clock, &random, &log, nullptr};
      clients.push_back(Client::create(std::move(options), platform, *transports.back(), runtime).value());
    }
  }
  ~GatedFleet() {
    for (auto& client : clients) static_cast<void>(client->stop());  // a stop's status is not what is tested
  }
  detail::ConnectGate& gate() { return detail::RuntimeAccess::connect_gate(runtime); }
  void start_all() {
    for (auto& client : clients) CHECK(client->start().is_ok());
  }
};

}  // namespace

TEST_GROUP(ConnectGateClients){};

TEST(ConnectGateClients, AtMostTwoConnectAtOnceAndEachAnswerLetsTheNextOneIn) {
  GatedFleet fleet(4, 2);
  fleet.start_all();
  HeldTransport* first = fleet.attempts.wait_for(2, 0);
  HeldTransport* second = fleet.attempts.wait_for(2, 1);
  LONGS_EQUAL(2, fleet.gate().waiting());  // queued at the gate: they cannot have reached their transports
  LONGS_EQUAL(2, fleet.attempts.size());
  first->answer(true);
  fleet.attempts.wait_for(3, 2);
  second->answer(false, Status(StatusCode::kIo, "refused"));
  fleet.attempts.wait_for(4, 3);
  LONGS_EQUAL(0, fleet.gate().waiting());
  LONGS_EQUAL(2, fleet.gate().active());  // the third and fourth are still waiting for their answers
}

TEST(ConnectGateClients, AClientStoppedWhileQueuedPassesItsTurnOn) {
  GatedFleet fleet(3, 1);
  fleet.start_all();
  HeldTransport* first = fleet.attempts.wait_for(1, 0);
  LONGS_EQUAL(2, fleet.gate().waiting());
  CHECK(fleet.clients[1]->stop().is_ok());
  first->answer(true);
  HeldTransport* next = fleet.attempts.wait_for(2, 1);
  POINTERS_EQUAL(fleet.transports[2].get(), next);
  LONGS_EQUAL(1, fleet.gate().active());
}

TEST(ConnectGateClients, AClientStoppedMidAttemptFreesItsTurn) {
  GatedFleet fleet(2, 1);
  fleet.start_all();
  HeldTransport* first = fleet.attempts.wait_for(1, 0);
  const std::size_t index = first == fleet.transports[0].get() ? 0 : 1;
  CHECK(fleet.clients[index]->stop().is_ok());
  HeldTransport* next = fleet.attempts.wait_for(2, 1);
  CHECK(next != first);
  CHECK(fleet.clients[1 - index]->stop().is_ok());
  LONGS_EQUAL(0, fleet.gate().active());
}
