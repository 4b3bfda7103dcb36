// dock-sim end to end: a private mosquitto, the simulator as a child process, and a scripted cloud on a
// PahoTransport that records what the docks publish and answers what they ask.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/envelope.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "docklink/topics.hpp"

#include <CppUTest/TestHarness.h>
// After TestHarness.h, which it needs.
#include <CppUTest/MemoryLeakWarningPlugin.h>

namespace {

using namespace std::chrono_literals;

std::string source_root() {
  std::string file = __FILE__;  // .../tests/integration/sim_dock_test.cpp
  return file.substr(0, file.rfind("/tests/integration/"));
}

std::string build_root() {
  char path[PATH_MAX] = {};
  ssize_t size = readlink("/proc/self/exe", path, sizeof path - 1);
  std::string exe(path, size > 0 ? static_cast<std::size_t>(size) : 0);
  std::string dir = exe.substr(0, exe.rfind('/'));  // .../build/tests
  return dir.substr(0, dir.rfind('/'));
}

/// A private mosquitto started with scripts/test-broker.sh.
class Broker {
 public:
  Broker() {
    char pattern[] = "/tmp/docklink-simtest.XXXXXX";
    dir_ = mkdtemp(pattern);
    std::string command = source_root() + "/scripts/test-broker.sh start " + dir_ + " >/dev/null";
    started_ = std::system(command.c_str()) == 0;
    if (started_) {
      std::FILE* file = std::fopen((dir_ + "/port").c_str(), "r");
      int port = 0;
      if (file != nullptr && std::fscanf(file, "%d", &port) == 1) uri_ = "tcp://127.0.0.1:" + std::to_string(port);
      if (file != nullptr) std::fclose(file);
    }
  }
  ~Broker() {
    std::string command = source_root() + "/scripts/test-broker.sh stop " + dir_ + " >/dev/null; rm -rf " + dir_;
    if (std::system(command.c_str()) != 0) std::fprintf(stderr, "broker stop failed\n");
  }
  const std::string& uri() const { return uri_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::string uri_;
  bool started_ = false;
};

/// dock-sim as a child process.
class Simulator {
 public:
  Simulator(const std::string& log_path, std::vector<std::string> args) {
    std::string binary = build_root() + "/samples/dock-sim";
    args.insert(args.begin(), binary);
    // Cross builds run the ARM dock-sim through qemu-user (no binfmt here): "qemu-aarch64 -L <sysroot>".
    if (const char* emulator = std::getenv("DOCKLINK_TEST_EMULATOR"); emulator != nullptr && *emulator != '\0') {
      std::vector<std::string> words;
      std::string word;
      for (const char* c = emulator;; ++c) {
        if (*c == ' ' || *c == '\0') {
          if (!word.empty()) words.push_back(word);
          word.clear();
          if (*c == '\0') break;
        } else {
          word += *c;
        }
      }
      args.insert(args.begin(), words.begin(), words.end());
      binary = words.front();
      if (binary.find('/') == std::string::npos) binary = "/usr/bin/" + binary;
    }
    pid_ = fork();
    if (pid_ == 0) {
      std::FILE* log = std::freopen(log_path.c_str(), "w", stdout);
      if (log != nullptr) dup2(fileno(stdout), STDERR_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Simulator() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  /// Sends `signal` and waits up to `timeout` for the exit; the exit status, or -1 on timeout/crash.
  int stop(int signal, std::chrono::milliseconds timeout) {
    kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      // Polling a child's exit: waitpid has no timeout and there is no event to wait on here.
      usleep(20 * 1000);
    }
    return -1;
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// One uplink the cloud saw.
struct Seen {
  docklink::TopicKind kind;
  std::string sn;
  std::shared_ptr<rapidjson::Document> json;
  std::string str(const char* key) const {
    auto it = json->FindMember(key);
    return it != json->MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  }
  const rapidjson::Value& data() const {
    static const rapidjson::Value kEmpty(rapidjson::kObjectType);
    auto it = json->FindMember("data");
    return it != json->MemberEnd() ? it->value : kEmpty;
  }
  int result() const {
    auto it = data().FindMember("result");
    return it != data().MemberEnd() && it->value.IsInt() ? it->value.GetInt() : -100;
  }
};

/// The scripted cloud: records every uplink, answers status/events/requests like a simple cloud.
class TestCloud : public docklink::port::TransportListener {
 public:
  explicit TestCloud(const std::string& uri) : answerer_([this] { answer_loop(); }) {
    docklink::ports::PahoTransportOptions options;
    options.server_uri = uri;
    options.default_client_id = "sim-test-cloud-" + std::to_string(getpid());
    auto transport = docklink::ports::PahoTransport::create(options);
    if (!transport) return;
    transport_ = std::move(transport).value();
    transport_->set_listener(this);
    transport_->connect();
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, 5s, [this] { return connected_; });
    if (!connected_) return;
    lock.unlock();
    transport_->subscribe("sys/product/+/status", docklink::port::Qos::kAtLeastOnce);
    transport_->subscribe("thing/product/+/#", docklink::port::Qos::kAtLeastOnce);
  }
  ~TestCloud() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    answerer_.join();
    if (transport_) {
      transport_->disconnect(1000ms);
      transport_->set_listener(nullptr);
    }
  }
  bool connected() {
    std::lock_guard<std::mutex> lock(mutex_);
    return connected_;
  }

  void on_message(std::string_view topic, std::string_view payload) override {
    auto parsed = docklink::parse_topic(topic);
    if (!parsed || docklink::is_downlink(parsed.value().kind)) return;
    Seen seen{parsed.value().kind, std::string(parsed.value().sn), std::make_shared<rapidjson::Document>()};
    seen.json->Parse(payload.data(), payload.size());
    if (seen.json->HasParseError() || !seen.json->IsObject()) return;
    // Answers are published by the answer thread: a listener must not call into the transport.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(seen);
      to_answer_.push_back(seen);
    }
    cv_.notify_all();
  }
  void on_connection_changed(bool connected, const docklink::Status&, bool) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      connected_ = connected;
    }
    cv_.notify_all();
  }
  void on_publish_done(docklink::port::PublishId, const docklink::Status&) override {}

  /// Publishes a downlink and returns its tid.
  std::string send(docklink::TopicKind kind, const std::string& sn, const std::string& method, const std::string& data,
                   std::string bid = {}) {
    std::string tid = "cloud-tid-" + std::to_string(++next_id_);
    if (bid.empty()) bid = "cloud-bid-" + std::to_string(next_id_.load());
    docklink::OutboundEnvelope envelope;
    envelope.tid = tid;
    envelope.bid = bid;
    envelope.timestamp = 1;
    envelope.method = method;
    envelope.data_json = data;
    std::string payload;
    docklink::encode_envelope(envelope, payload);
    transport_->publish(docklink::topic(kind, sn), payload, docklink::port::Qos::kAtLeastOnce, next_id_);
    return tid;
  }

  /// Waits for an uplink matching `pred` (earlier ones count).
  Seen wait_for(std::function<bool(const Seen&)> pred, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(mutex_);
    Seen found{docklink::TopicKind::kStatus, "", nullptr};
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& seen : seen_) {
        if (pred(seen)) {
          found = seen;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  /// Distinct SNs of uplinks matching `pred`, once at least `count` were seen (or the timeout passed).
  std::set<std::string> wait_distinct(std::function<bool(const Seen&)> pred, std::size_t count,
                                      std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::set<std::string> sns;
    cv_.wait_for(lock, timeout, [&] {
      sns.clear();
      for (const auto& seen : seen_) {
        if (pred(seen)) sns.insert(seen.sn);
      }
      return sns.size() >= count;
    });
    return sns;
  }

 private:
  void answer_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !to_answer_.empty(); });
      if (stopping_) return;
      Seen seen = to_answer_.front();
      to_answer_.erase(to_answer_.begin());
      lock.unlock();
      answer(seen);
      lock.lock();
    }
  }

  void answer(const Seen& seen) {
    using docklink::TopicKind;
    TopicKind reply;
    std::string data = R"({"result":0})";
    if (seen.kind == TopicKind::kStatus) {
      reply = TopicKind::kStatusReply;
    } else if (seen.kind == TopicKind::kEvents) {
      auto it = seen.json->FindMember("need_reply");
      if (it == seen.json->MemberEnd() || !it->value.IsInt() || it->value.GetInt() != 1) return;
      reply = TopicKind::kEventsReply;
    } else if (seen.kind == TopicKind::kRequests) {
      reply = TopicKind::kRequestsReply;
      if (seen.str("method") == "config") {
        data = R"({"app_id":"1","app_key":"k","app_license":"l","ntp_server_host":"h","ntp_server_port":123})";
      }
    } else {
      return;
    }
    docklink::OutboundEnvelope envelope;
    std::string tid = seen.str("tid"), bid = seen.str("bid"), method = seen.str("method");
    envelope.tid = tid;
    envelope.bid = bid;
    envelope.timestamp = 1;
    envelope.method = method;
    envelope.data_json = data;
    std::string payload;
    docklink::encode_envelope(envelope, payload);
    transport_->publish(docklink::topic(reply, seen.sn), payload, docklink::port::Qos::kAtLeastOnce, ++next_id_);
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  bool connected_ = false;
  bool stopping_ = false;
  std::vector<Seen> seen_;
  std::vector<Seen> to_answer_;
  std::atomic<std::uint64_t> next_id_{0};
  std::unique_ptr<docklink::ports::PahoTransport> transport_;
  std::thread answerer_;
};

bool is_reply_to(const Seen& seen, const std::string& tid) {
  return seen.kind == docklink::TopicKind::kServicesReply && seen.str("tid") == tid;
}

int int_at(const rapidjson::Value& object, const char* key, int fallback = -100) {
  if (!object.IsObject()) return fallback;
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : fallback;
}

std::string status_of(const Seen& seen) {
  auto output = seen.data().FindMember("output");
  if (output == seen.data().MemberEnd() || !output->value.IsObject()) return "";
  auto status = output->value.FindMember("status");
  return status != output->value.MemberEnd() && status->value.IsString() ? status->value.GetString() : "";
}

constexpr const char* kSn = "SIMTEST-0001";
constexpr const char* kAircraft = "SIMTEST-0001-UAV";

}  // namespace

TEST_GROUP(SimDock) {
  std::unique_ptr<Broker> broker;
  std::unique_ptr<TestCloud> cloud;
  std::unique_ptr<Simulator> sim;

  void setup() override {
    // Paho's threads allocate and free across test boundaries, which CppUTest's new/delete checks misread.
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();
    broker = std::make_unique<Broker>();
    CHECK_FALSE(broker->uri().empty());
    cloud = std::make_unique<TestCloud>(broker->uri());
    CHECK_TRUE(cloud->connected());
    sim = std::make_unique<Simulator>(broker->dir() + "/sim.log",
                                      std::vector<std::string>{"--broker", broker->uri(), "--sn", kSn, "--speed", "50",
                                                               "--osd-period-ms", "200", "--log-level", "warn"});
    CHECK_TRUE(sim->started());
    // The dock subscribes before it sends update_topo, so services sent after it are not lost.
    Seen topo = cloud->wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; });
    CHECK_TRUE(topo.json != nullptr);
  }
  void teardown() override {
    if (sim) LONGS_EQUAL(0, sim->stop(SIGTERM, 5s));
    sim.reset();
    cloud.reset();
    broker.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  std::string call(const char* method, const char* data = "{}") {
    return cloud->send(docklink::TopicKind::kServices, kSn, method, data);
  }
  Seen reply_to(const std::string& tid) {
    return cloud->wait_for([&](const Seen& seen) { return is_reply_to(seen, tid); });
  }
};

TEST(SimDock, SendsTopologyAndConfigRequestOnConnect) {
  Seen topo = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kStatus && seen.sn == kSn && seen.str("method") == "update_topo";
  });
  CHECK_TRUE(topo.json != nullptr);
  STRCMP_EQUAL("3", topo.data()["domain"].GetString());
  LONGS_EQUAL(2, int_at(topo.data(), "type"));
  const rapidjson::Value& subs = topo.data()["sub_devices"];
  LONGS_EQUAL(1, subs.Size());
  STRCMP_EQUAL(kAircraft, subs[0]["sn"].GetString());
  LONGS_EQUAL(91, int_at(subs[0], "type"));

  Seen config = cloud->wait_for(
      [](const Seen& seen) { return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == "config"; });
  CHECK_TRUE(config.json != nullptr);
  STRCMP_EQUAL("product", config.data()["config_scope"].GetString());
}

TEST(SimDock, CoverOpenOutsideRemoteDebugIsRejected) {
  Seen reply = reply_to(call("cover_open"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(514153, reply.result());
}

TEST(SimDock, CoverOpenJobInRemoteDebugReportsProgressAndOpensCover) {
  Seen debug = reply_to(call("debug_mode_open"));
  CHECK_TRUE(debug.json != nullptr);
  LONGS_EQUAL(0, debug.result());
  cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_at(seen.data(), "mode_code") == 2;
  });

  std::string bid = "cover-open-bid";
  std::string tid = cloud->send(docklink::TopicKind::kServices, kSn, "cover_open", "{}", bid);
  Seen reply = reply_to(tid);
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("in_progress", status_of(reply).c_str());

  Seen step = cloud->wait_for([&](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == bid && status_of(seen) == "in_progress";
  });
  CHECK_TRUE(step.json != nullptr);
  STRCMP_EQUAL("cover_open", step.str("method").c_str());
  Seen done = cloud->wait_for(
      [&](const Seen& seen) {
        return seen.kind == docklink::TopicKind::kEvents && seen.str("bid") == bid && status_of(seen) == "ok";
      },
      10s);
  CHECK_TRUE(done.json != nullptr);
  Seen open = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && int_at(seen.data(), "cover_state") == 1;
  });
  CHECK_TRUE(open.json != nullptr);

  // A second job while the dock is in remote debug but idle is accepted; the dock answers busy only mid-job.
  std::string first = call("cover_close");
  std::string second = call("charge_open");
  LONGS_EQUAL(0, reply_to(first).result());
  LONGS_EQUAL(514116, reply_to(second).result());
}

TEST(SimDock, PropertySetAnswersPerPropertyAndShowsInOsd) {
  std::string tid = cloud->send(docklink::TopicKind::kPropertySet, kSn, "", R"({"height_limit":250})");
  Seen reply = cloud->wait_for(
      [&](const Seen& seen) { return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid; });
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, int_at(reply.data()["height_limit"], "result"));
  Seen osd = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && int_at(seen.data(), "height_limit") == 250;
  });
  CHECK_TRUE(osd.json != nullptr);

  tid = cloud->send(docklink::TopicKind::kPropertySet, kSn, "", R"({"height_limit":5})");
  reply = cloud->wait_for(
      [&](const Seen& seen) { return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid; });
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(325001, int_at(reply.data()["height_limit"], "result"));
}

TEST_GROUP(SimFleet) {
  std::unique_ptr<Broker> broker;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    broker = std::make_unique<Broker>();
  }
  void teardown() override {
    broker.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
};

TEST(SimFleet, TwentyDocksAllSendTopology) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  Simulator sim(broker->dir() + "/fleet.log", {"--broker", broker->uri(), "--docks", "20", "--sn-prefix", "FLEET-",
                                               "--model", "dock3", "--log-level", "warn"});
  auto sns = cloud.wait_distinct(
      [](const Seen& seen) {
        return seen.kind == docklink::TopicKind::kStatus && seen.str("method") == "update_topo" &&
               seen.sn.rfind("FLEET-", 0) == 0;
      },
      20, 15s);
  LONGS_EQUAL(20, sns.size());
  CHECK_TRUE(sns.count("FLEET-0001") == 1 && sns.count("FLEET-0020") == 1);
  LONGS_EQUAL(0, sim.stop(SIGTERM, 10s));
}

TEST_GROUP(SimSignals) {
  std::unique_ptr<Broker> broker;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    broker = std::make_unique<Broker>();
  }
  void teardown() override {
    broker.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
};

TEST(SimSignals, SigtermAfterConnectExitsZero) {
  TestCloud cloud(broker->uri());
  Simulator sim(broker->dir() + "/sig.log", {"--broker", broker->uri(), "--sn", "SIGTEST-1", "--log-level", "warn"});
  Seen topo = cloud.wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; });
  CHECK_TRUE(topo.json != nullptr);
  LONGS_EQUAL(0, sim.stop(SIGTERM, 5s));
}

TEST(SimSignals, SigintExitsZero) {
  TestCloud cloud(broker->uri());
  Simulator sim(broker->dir() + "/int.log", {"--broker", broker->uri(), "--sn", "SIGTEST-2", "--log-level", "warn"});
  Seen topo = cloud.wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; });
  CHECK_TRUE(topo.json != nullptr);
  LONGS_EQUAL(0, sim.stop(SIGINT, 5s));
}
