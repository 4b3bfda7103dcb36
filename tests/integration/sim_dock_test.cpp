// dock-sim end to end: a private mosquitto, the simulator as a child process, and a scripted cloud on a
// PahoTransport that records what the docks publish and answers what they ask.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
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
  /// Every uplink matching `pred` seen so far, in arrival order.
  std::vector<Seen> all(std::function<bool(const Seen&)> pred) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Seen> found;
    for (const auto& seen : seen_) {
      if (pred(seen)) found.push_back(seen);
    }
    return found;
  }
  /// Uplinks matching `pred` once at least `count` were seen (or the timeout passed), in arrival order.
  std::vector<Seen> wait_count(std::function<bool(const Seen&)> pred, std::size_t count,
                               std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::vector<Seen> found;
    cv_.wait_for(lock, timeout, [&] {
      found.clear();
      for (const auto& seen : seen_) {
        if (pred(seen)) found.push_back(seen);
      }
      return found.size() >= count;
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

// The object at `path` (keys separated by '.') below data, or nullptr.
const rapidjson::Value* data_at(const Seen& seen, const std::string& path) {
  const rapidjson::Value* at = &seen.data();
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string::npos) end = path.size();
    if (!at->IsObject()) return nullptr;
    auto it = at->FindMember(path.substr(start, end - start).c_str());
    if (it == at->MemberEnd()) return nullptr;
    at = &it->value;
    start = end + 1;
  }
  return at;
}

int int_in(const Seen& seen, const std::string& path, int fallback = -100) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsInt() ? value->GetInt() : fallback;
}

std::string string_in(const Seen& seen, const std::string& path) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsString() ? value->GetString() : "";
}

bool is_event(const Seen& seen, const char* method) {
  return seen.kind == docklink::TopicKind::kEvents && seen.str("method") == method;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// flighttask_prepare data for an immediate task (or another task_type with `extra` fields).
std::string prepare_data(const std::string& flight_id, int task_type = 0, std::int64_t execute_time = 0,
                         const std::string& extra = "") {
  if (execute_time == 0) execute_time = now_ms();
  return R"({"flight_id":")" + flight_id + R"(","task_type":)" + std::to_string(task_type) + R"(,"execute_time":)" +
         std::to_string(execute_time) +
         R"(,"rth_altitude":20,"file":{"url":"http://127.0.0.1/w.kmz","fingerprint":"00"})" + extra + "}";
}

constexpr const char* kSn = "SIMTEST-0001";
constexpr const char* kAircraft = "SIMTEST-0001-UAV";

/// One drc/up message and when it arrived.
struct DrcSeen {
  std::shared_ptr<rapidjson::Document> json;
  std::chrono::steady_clock::time_point at;
  std::string method() const {
    auto it = json->FindMember("method");
    return it != json->MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  }
  const rapidjson::Value& data() const {
    static const rapidjson::Value kEmpty(rapidjson::kObjectType);
    auto it = json->FindMember("data");
    return it != json->MemberEnd() ? it->value : kEmpty;
  }
  double number(const char* key) const {
    auto it = data().FindMember(key);
    return it != data().MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : -1e9;
  }
};

/// The DRC side of a cloud: a raw Paho client on drc/up and drc/down of one gateway.
class DrcCloud : public docklink::port::TransportListener {
 public:
  DrcCloud(const std::string& uri, const std::string& sn) : sn_(sn) {
    docklink::ports::PahoTransportOptions options;
    options.server_uri = uri;
    options.default_client_id = "sim-test-drc-cloud-" + std::to_string(getpid());
    auto transport = docklink::ports::PahoTransport::create(options);
    if (!transport) return;
    transport_ = std::move(transport).value();
    transport_->set_listener(this);
    transport_->connect();
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return connected_; });
    if (!connected_) return;
    lock.unlock();
    transport_->subscribe(docklink::topic(docklink::TopicKind::kDrcUp, sn_), docklink::port::Qos::kAtMostOnce);
  }
  ~DrcCloud() override {
    if (transport_) {
      transport_->disconnect(std::chrono::milliseconds(1000));
      transport_->set_listener(nullptr);
    }
  }
  DrcCloud(const DrcCloud&) = delete;
  DrcCloud& operator=(const DrcCloud&) = delete;
  bool connected() {
    std::lock_guard<std::mutex> lock(mutex_);
    return connected_;
  }
  /// Publishes `payload` on drc/down `times` times, as DJI's demo cloud does with every DRC command.
  void send(const std::string& payload, int times = 1) {
    for (int i = 0; i < times; ++i) {
      transport_->publish(docklink::topic(docklink::TopicKind::kDrcDown, sn_), payload,
                          docklink::port::Qos::kAtMostOnce, 0);
    }
  }
  /// Messages of `method` once at least `count` arrived (or the timeout passed).
  std::vector<DrcSeen> wait_count(const std::string& method, std::size_t count,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::vector<DrcSeen> found;
    cv_.wait_for(lock, timeout, [&] {
      found.clear();
      for (const auto& seen : seen_) {
        if (seen.method() == method) found.push_back(seen);
      }
      return found.size() >= count;
    });
    return found;
  }
  /// The first message matching `pred` (json == nullptr on timeout).
  DrcSeen wait_for(std::function<bool(const DrcSeen&)> pred,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mutex_);
    DrcSeen found{nullptr, {}};
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
  /// How many messages of `method` arrived so far.
  std::size_t count(const std::string& method) {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(seen_.begin(), seen_.end(), [&](const DrcSeen& seen) { return seen.method() == method; }));
  }

  void on_message(std::string_view, std::string_view payload) override {
    DrcSeen seen{std::make_shared<rapidjson::Document>(), std::chrono::steady_clock::now()};
    seen.json->Parse(payload.data(), payload.size());
    if (seen.json->HasParseError() || !seen.json->IsObject()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(seen);
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

 private:
  std::string sn_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool connected_ = false;
  std::vector<DrcSeen> seen_;
  std::unique_ptr<docklink::ports::PahoTransport> transport_;
};

/// A broker, the test cloud and one simulated dock (SN kSn) started with `extra` arguments.
class SimSession {
 public:
  explicit SimSession(const std::vector<std::string>& extra) {
    broker_ = std::make_unique<Broker>();
    if (broker_->uri().empty()) return;
    cloud_ = std::make_unique<TestCloud>(broker_->uri());
    if (!cloud_->connected()) return;
    std::vector<std::string> args = {"--broker", broker_->uri(), "--sn", kSn, "--log-level", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    sim_ = std::make_unique<Simulator>(broker_->dir() + "/sim.log", args);
    if (!sim_->started()) return;
    // The dock subscribes before it sends update_topo, so services sent after it are not lost.
    ready_ =
        cloud_->wait_for([](const Seen& seen) { return seen.kind == docklink::TopicKind::kStatus; }).json != nullptr;
  }
  /// Kills simulator and broker outright: their clean shutdown takes seconds and SimSignals already tests it.
  ~SimSession() {
    sim_.reset();
    cloud_.reset();
    if (broker_) {
      std::FILE* file = std::fopen((broker_->dir() + "/pid").c_str(), "r");
      int pid = 0;
      if (file != nullptr && std::fscanf(file, "%d", &pid) == 1 && pid > 0) kill(pid, SIGKILL);
      if (file != nullptr) std::fclose(file);
      // Broker's own stop would then wait for the PID to vanish, which is slow when it is nobody's child.
      std::remove((broker_->dir() + "/pid").c_str());
    }
  }
  SimSession(const SimSession&) = delete;
  SimSession& operator=(const SimSession&) = delete;
  /// True when broker, cloud and simulator are up and the dock announced itself.
  bool ready() const { return ready_; }
  TestCloud& cloud() { return *cloud_; }
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
};

}  // namespace

TEST_GROUP(SimDock) {
  std::unique_ptr<SimSession> session;
  TestCloud* cloud = nullptr;
  void setup() override {
    // Paho's threads allocate and free across test boundaries, which CppUTest's new/delete checks misread.
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();
    session = std::make_unique<SimSession>(std::vector<std::string>{"--speed", "50", "--osd-period-ms", "200"});
    CHECK_TRUE(session->ready());
    cloud = &session->cloud();
  }
  void teardown() override {
    session.reset();  // SimSignals tests the clean exit
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  std::string call(const char* method, const char* data = "{}") { return session->call(method, data); }
  Seen reply_to(const std::string& tid) { return session->reply_to(tid); }
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

// Flight tasks (§5.1, §5.2 flighttask_progress) at 100x: a whole flight takes about two seconds.
TEST_GROUP(SimFlight) {
  std::unique_ptr<SimSession> session;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    session = std::make_unique<SimSession>(std::vector<std::string>{"--speed", "100", "--osd-period-ms", "100"});
    CHECK_TRUE(session->ready());
  }
  void teardown() override {
    session.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  std::vector<Seen> progress_of(const std::string& flight_id) {
    return session->cloud().all(
        [&](const Seen& seen) { return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id; });
  }
  Seen wait_progress(const std::string& flight_id, std::function<bool(const Seen&)> pred,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return session->cloud().wait_for(
        [&](const Seen& seen) {
          return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id && pred(seen);
        },
        timeout);
  }
};

TEST(SimFlight, PreparedTaskWalksCurrentStepToOk) {
  const std::string flight = "flight-ok-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-ok-1"})"));
  Seen done = wait_progress(flight, [](const Seen& seen) { return status_of(seen) == "ok"; });
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(100, int_in(done, "output.progress.percent"));
  LONGS_EQUAL(0, done.result());

  // Every progress event carries the flight id as bid and in ext; steps never go back.
  std::vector<Seen> events = progress_of(flight);
  CHECK_TRUE(events.size() >= 10);
  int last_step = -1;
  std::set<int> steps;
  for (const Seen& seen : events) {
    STRCMP_EQUAL(flight.c_str(), string_in(seen, "output.ext.flight_id").c_str());
    int step = int_in(seen, "output.progress.current_step");
    CHECK_TRUE(step >= last_step);
    last_step = step;
    steps.insert(step);
    if (status_of(seen) != "ok") STRCMP_EQUAL("in_progress", status_of(seen).c_str());
  }
  CHECK_TRUE(*steps.begin() < 10);   // pre-checks
  CHECK_TRUE(steps.count(25) == 1);  // wayline executing
  CHECK_TRUE(steps.count(27) == 1);  // landing
  CHECK_TRUE(steps.count(29) == 1);  // dock leaves work mode
  STRCMP_EQUAL("ok", status_of(events.back()).c_str());
  // The aircraft is back in the dock and the dock idle.
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1));
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));
}

TEST(SimFlight, ExecuteWithoutPrepareIsRejected) {
  LONGS_EQUAL(319003, session->result_of("flighttask_execute", R"({"flight_id":"never-prepared"})"));
}

TEST(SimFlight, PrepareOutsideAllowedStateIsRejected) {
  // Immediate task whose execute_time is far off: the dock's clock disagrees.
  LONGS_EQUAL(319008, session->result_of("flighttask_prepare", prepare_data("late-1", 0, now_ms() - 120000)));
  // Missing file: invalid parameters.
  LONGS_EQUAL(325001, session->result_of("flighttask_prepare", R"({"flight_id":"x","task_type":0})"));
  // Remote debugging mode.
  LONGS_EQUAL(0, session->result_of("debug_mode_open"));
  LONGS_EQUAL(319036, session->result_of("flighttask_prepare", prepare_data("debug-1")));
  LONGS_EQUAL(0, session->result_of("debug_mode_close"));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("debug-1")));
}

TEST(SimFlight, SecondExecuteWhileFlyingIsRejectedAsBusy) {
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("busy-a")));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("busy-b")));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"busy-a"})"));
  LONGS_EQUAL(319016, session->result_of("flighttask_execute", R"({"flight_id":"busy-b"})"));
  // Nor can another immediate task be prepared.
  LONGS_EQUAL(319016, session->result_of("flighttask_prepare", prepare_data("busy-c")));
  // Remote debugging cannot start mid-flight either.
  LONGS_EQUAL(514148, session->result_of("debug_mode_open"));
}

TEST(SimFlight, ReturnHomeMidWaylineEndsPartiallyDone) {
  // Nothing flying: refused.
  LONGS_EQUAL(314000, session->result_of("return_home"));
  const std::string flight = "flight-rth-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-rth-1"})"));
  Seen wayline =
      wait_progress(flight, [](const Seen& seen) { return int_in(seen, "output.ext.wayline_mission_state") == 6; });
  CHECK_TRUE(wayline.json != nullptr);
  Seen reply = session->reply_to(session->call("return_home"));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("ok", status_of(reply).c_str());
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 9));  // returning home
  Seen done = wait_progress(flight, [](const Seen& seen) { return status_of(seen) == "partially_done"; });
  CHECK_TRUE(done.json != nullptr);
  LONGS_EQUAL(1283, int_in(done, "output.ext.break_point.break_reason"));
  CHECK_TRUE(progress_of(flight).size() >= 2);
}

TEST(SimFlight, UndoDropsPreparedTasksButNotTheRunningOne) {
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("undo-a")));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("undo-b")));
  LONGS_EQUAL(0, session->result_of("flighttask_undo", R"({"flight_ids":["undo-a"]})"));
  LONGS_EQUAL(319003, session->result_of("flighttask_execute", R"({"flight_id":"undo-a"})"));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"undo-b"})"));
  LONGS_EQUAL(319006, session->result_of("flighttask_undo", R"({"flight_ids":["undo-b"]})"));
  LONGS_EQUAL(325001, session->result_of("flighttask_undo", R"({"flight_ids":"undo-b"})"));
}

// Firmware, live streaming and property sets.
TEST_GROUP(SimServices) {
  std::unique_ptr<SimSession> session;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    session = std::make_unique<SimSession>(std::vector<std::string>{"--speed", "100", "--osd-period-ms", "100"});
    CHECK_TRUE(session->ready());
  }
  void teardown() override {
    session.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  Seen state_with(const std::string& sn, const char* key, std::function<bool(const rapidjson::Value&)> pred) {
    return session->cloud().wait_for([&](const Seen& seen) {
      const rapidjson::Value* value = data_at(seen, key);
      return seen.kind == docklink::TopicKind::kState && seen.sn == sn && value != nullptr && pred(*value);
    });
  }
};

TEST(SimServices, OtaCreateReportsProgressOnItsBidAndUpdatesFirmware) {
  const std::string bid = "ota-bid-1";
  std::string data = R"({"devices":[{"sn":")" + std::string(kSn) +
                     R"(","product_version":"99.01.0001","file_url":"http://127.0.0.1/fw.zip","md5":"00",)"
                     R"("file_size":1,"file_name":"fw.zip","firmware_upgrade_type":3}]})";
  Seen reply = session->reply_to(session->call("ota_create", data, bid));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("in_progress", status_of(reply).c_str());
  // A second upgrade while this one runs is refused.
  LONGS_EQUAL(312014, session->result_of("ota_create", data));

  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) { return is_event(seen, "ota_progress") && status_of(seen) == "ok"; });
  CHECK_TRUE(done.json != nullptr);
  STRCMP_EQUAL(bid.c_str(), done.str("bid").c_str());
  LONGS_EQUAL(100, int_in(done, "output.progress.percent"));
  std::vector<Seen> events = session->cloud().all([](const Seen& seen) { return is_event(seen, "ota_progress"); });
  CHECK_TRUE(events.size() >= 5);
  int last_percent = -1;
  for (const Seen& seen : events) {
    STRCMP_EQUAL(bid.c_str(), seen.str("bid").c_str());
    CHECK_TRUE(int_in(seen, "output.progress.percent") > last_percent);
    last_percent = int_in(seen, "output.progress.percent");
  }
  STRCMP_EQUAL("download_firmware", string_in(events.front(), "output.progress.current_step").c_str());
  STRCMP_EQUAL("upgrade_firmware", string_in(events.back(), "output.progress.current_step").c_str());

  Seen firmware = state_with(kSn, "firmware_version", [](const rapidjson::Value& v) {
    return v.IsString() && v.GetString() == std::string("99.01.0001");
  });
  CHECK_TRUE(firmware.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "mode_code", 0));
}

TEST(SimServices, LiveStartAndStopShowInLiveStatus) {
  const std::string video = std::string(kAircraft) + "/80-0-0/normal-0";
  std::string start =
      R"({"url_type":1,"url":"rtmp://127.0.0.1/live/x","video_id":")" + video + R"(","video_quality":2})";
  LONGS_EQUAL(0, session->result_of("live_start_push", start));
  Seen streaming = state_with(kSn, "live_status", [&](const rapidjson::Value& v) {
    return v.IsArray() && v.Size() == 1 && v[0]["video_id"].GetString() == video;
  });
  CHECK_TRUE(streaming.json != nullptr);
  LONGS_EQUAL(2, int_at((*data_at(streaming, "live_status"))[0], "video_quality"));
  LONGS_EQUAL(513003, session->result_of("live_start_push", start));

  std::string stop = R"({"video_id":")" + video + R"("})";
  LONGS_EQUAL(0, session->result_of("live_stop_push", stop));
  Seen stopped = state_with(kSn, "live_status", [](const rapidjson::Value& v) { return v.IsArray() && v.Size() == 0; });
  CHECK_TRUE(stopped.json != nullptr);
  LONGS_EQUAL(513011, session->result_of("live_stop_push", stop));
}

TEST(SimServices, PropertySetsTakeEffectInStateAndOsd) {
  TestCloud& cloud = session->cloud();
  auto set = [&](const char* json) {
    std::string tid = cloud.send(docklink::TopicKind::kPropertySet, kSn, "", json);
    return cloud.wait_for([&](const Seen& seen) {
      return seen.kind == docklink::TopicKind::kPropertySetReply && seen.str("tid") == tid;
    });
  };
  // A state property of the aircraft: pushed at once as state.
  Seen reply = set(R"({"commander_flight_height":150})");
  LONGS_EQUAL(0, int_in(reply, "commander_flight_height.result"));
  CHECK_TRUE(state_with(kAircraft, "commander_flight_height", [](const rapidjson::Value& v) {
               return v.IsInt() && v.GetInt() == 150;
             }).json != nullptr);
  // A dock state property.
  reply = set(R"({"silent_mode":1})");
  LONGS_EQUAL(0, int_in(reply, "silent_mode.result"));
  CHECK_TRUE(state_with(kSn, "silent_mode", [](const rapidjson::Value& v) {
               return v.IsInt() && v.GetInt() == 1;
             }).json != nullptr);
  // A nested OSD property: the result sits at the leaf.
  reply = set(R"({"obstacle_avoidance":{"horizon":0}})");
  LONGS_EQUAL(0, int_in(reply, "obstacle_avoidance.horizon.result"));
  CHECK_TRUE(session->osd_shows(kAircraft, "obstacle_avoidance.horizon", 0));
  // Out of range.
  reply = set(R"({"rth_altitude":5000})");
  LONGS_EQUAL(325001, int_in(reply, "rth_altitude.result"));
}

// hms alarms, return_home_cancel, cover_force_close, conditional and timed tasks.
TEST_GROUP(SimEvents) {
  std::unique_ptr<SimSession> session;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    session = std::make_unique<SimSession>(
        std::vector<std::string>{"--speed", "100", "--osd-period-ms", "100", "--hms-period-s", "40"});
    CHECK_TRUE(session->ready());
  }
  void teardown() override {
    session.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  Seen first_progress(const std::string& flight_id, std::chrono::milliseconds timeout) {
    return session->cloud().wait_for(
        [&](const Seen& seen) { return is_event(seen, "flighttask_progress") && seen.str("bid") == flight_id; },
        timeout);
  }
};

TEST(SimEvents, HmsAlarmsComeNowAndThenWithoutNeedReply) {
  // Two rounds at least, to see that they repeat.
  std::vector<Seen> alarms = session->cloud().wait_count([](const Seen& seen) { return is_event(seen, "hms"); }, 2, 5s);
  CHECK_TRUE(alarms.size() >= 2);
  std::set<std::string> codes;
  for (const Seen& alarm : alarms) {
    STRCMP_EQUAL(kSn, alarm.sn.c_str());
    STRCMP_EQUAL(kSn, alarm.str("gateway").c_str());
    LONGS_EQUAL(0, int_at(*alarm.json, "need_reply", 0));
    const rapidjson::Value* list = data_at(alarm, "list");
    CHECK_TRUE(list != nullptr && list->IsArray() && list->Size() >= 1);
    const rapidjson::Value& entry = (*list)[0];
    std::string code = entry["code"].GetString();
    CHECK_TRUE(code.rfind("0x", 0) == 0);
    codes.insert(code);
    LONGS_EQUAL(0, int_at(entry, "in_the_sky"));  // the aircraft is in the dock
    CHECK_TRUE(int_at(entry, "level") >= 0 && int_at(entry, "level") <= 2);
    CHECK_TRUE(entry["device_type"].IsString());
    CHECK_TRUE(entry["args"].IsObject());
  }
  CHECK_TRUE(codes.size() >= 2);  // not the same alarm over and over
}

TEST(SimEvents, ReturnHomeCancelHoversAndForceCloseClosesTheEmptyDock) {
  LONGS_EQUAL(514108, session->result_of("cover_force_close"));   // aircraft in the dock
  LONGS_EQUAL(319043, session->result_of("return_home_cancel"));  // nothing returning
  const std::string flight = "flight-cancel-1";
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data(flight)));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"flight-cancel-1"})"));
  // Far enough out that the return takes several ticks.
  Seen far = session->cloud().wait_for(
      [](const Seen& seen) {
        const rapidjson::Value* distance = data_at(seen, "home_distance");
        return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && distance != nullptr &&
               distance->IsNumber() && distance->GetDouble() > 150;
      },
      10s);
  CHECK_TRUE(far.json != nullptr);
  std::string home = session->call("return_home");
  std::string cancel = session->call("return_home_cancel");
  LONGS_EQUAL(0, session->reply_to(home).result());
  LONGS_EQUAL(0, session->reply_to(cancel).result());
  CHECK_TRUE(session->osd_shows(kAircraft, "mode_code", 3));  // hovering under manual control
  LONGS_EQUAL(319043, session->result_of("return_home_cancel"));

  // Now the dock is empty: the cover may be force-closed, as a job with progress on its bid.
  std::string tid = session->call("cover_force_close", "{}", "force-close-bid");
  LONGS_EQUAL(0, session->reply_to(tid).result());
  Seen closed = session->cloud().wait_for([](const Seen& seen) {
    return is_event(seen, "cover_force_close") && seen.str("bid") == "force-close-bid" && status_of(seen) == "ok";
  });
  CHECK_TRUE(closed.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "cover_state", 0));

  // return_home resumes; the dock reopens for landing and the task ends partially done.
  LONGS_EQUAL(0, session->result_of("return_home"));
  Seen done = session->cloud().wait_for(
      [&](const Seen& seen) {
        return is_event(seen, "flighttask_progress") && seen.str("bid") == flight &&
               status_of(seen) == "partially_done";
      },
      10s);
  CHECK_TRUE(done.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "drone_in_dock", 1));
}

TEST(SimEvents, ConditionalTaskIsAnnouncedWithFlighttaskReadyWhenConditionsHold) {
  std::int64_t now = now_ms();
  std::string window =
      R"(,"begin_time":)" + std::to_string(now - 1000) + R"(,"end_time":)" + std::to_string(now + 60000) + "}";
  LONGS_EQUAL(
      0, session->result_of("flighttask_prepare",
                            prepare_data("cond-ok", 2, now, R"(,"ready_conditions":{"battery_capacity":50)" + window)));
  // The simulated battery (70 %) never reaches 100 % outside the charger.
  LONGS_EQUAL(0, session->result_of(
                     "flighttask_prepare",
                     prepare_data("cond-wait", 2, now, R"(,"ready_conditions":{"battery_capacity":100)" + window)));
  // A conditional task needs its conditions.
  LONGS_EQUAL(325001, session->result_of("flighttask_prepare", prepare_data("cond-bad", 2)));

  Seen ready = session->cloud().wait_for([](const Seen& seen) { return is_event(seen, "flighttask_ready"); });
  CHECK_TRUE(ready.json != nullptr);
  LONGS_EQUAL(1, int_at(*ready.json, "need_reply"));
  const rapidjson::Value* ids = data_at(ready, "flight_ids");
  CHECK_TRUE(ids != nullptr && ids->IsArray());
  LONGS_EQUAL(1, ids->Size());
  STRCMP_EQUAL("cond-ok", (*ids)[0].GetString());
  // Announced once only, and the cloud may then execute it.
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"cond-ok"})"));
  CHECK_TRUE(first_progress("cond-ok", 5s).json != nullptr);
  LONGS_EQUAL(1, session->cloud().all([](const Seen& seen) { return is_event(seen, "flighttask_ready"); }).size());
}

TEST(SimEvents, TimedTaskStartsAtItsExecuteTime) {
  // 100 simulated seconds ahead: one real second at 100x.
  std::int64_t execute_time = now_ms() + 100000;
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("timed-1", 1, execute_time)));
  LONGS_EQUAL(319008, session->result_of("flighttask_prepare", prepare_data("timed-past", 1, now_ms() - 3600000)));
  auto executed = std::chrono::steady_clock::now();
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"timed-1"})"));
  // While it waits the dock counts as busy.
  LONGS_EQUAL(319016, session->result_of("flighttask_prepare", prepare_data("timed-2")));
  CHECK_TRUE(session->cloud().all([](const Seen& seen) { return is_event(seen, "flighttask_progress"); }).empty());
  Seen first = first_progress("timed-1", 5s);
  CHECK_TRUE(first.json != nullptr);
  auto waited = std::chrono::steady_clock::now() - executed;
  CHECK_TRUE(waited >= 800ms);
  CHECK_TRUE(waited < 4s);
}

// Command flight: authority grabs, the second MQTT link of drc_mode_enter, heartbeats, pushes and sticks.
TEST_GROUP(SimDrc) {
  std::unique_ptr<SimSession> session;
  std::unique_ptr<DrcCloud> drc;
  void setup() override {
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();  // see TEST_GROUP(SimDock)
    session = std::make_unique<SimSession>(
        std::vector<std::string>{"--speed", "100", "--osd-period-ms", "100", "--drc-heartbeat-timeout-s", "2"});
    CHECK_TRUE(session->ready());
    drc = std::make_unique<DrcCloud>(session->broker_uri(), kSn);
    CHECK_TRUE(drc->connected());
  }
  void teardown() override {
    drc.reset();
    session.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
  // drc_mode_enter naming the test broker as "host:port" (the doc's form).
  std::string enter_data(int osd_hz, int hsi_hz) {
    std::string address = session->broker_uri().substr(std::string("tcp://").size());
    return R"({"mqtt_broker":{"address":")" + address +
           R"(","client_id":"SIMTEST-0001-drc","username":"SIMTEST-0001","password":"jwt","expire_time":)" +
           std::to_string(now_ms() / 1000 + 3600) + R"(,"enable_tls":false},"osd_frequency":)" +
           std::to_string(osd_hz) + R"(,"hsi_frequency":)" + std::to_string(hsi_hz) + "}";
  }
  void heartbeat(std::int64_t stamp) {
    drc->send(R"({"method":"heart_beat","seq":)" + std::to_string(stamp) + R"(,"data":{"timestamp":)" +
              std::to_string(stamp) + "}}");
  }
  bool heartbeat_echoed(std::int64_t stamp) {
    return drc->wait_for([&](const DrcSeen& seen) {
                return seen.method() == "heart_beat" && seen.number("timestamp") == static_cast<double>(stamp);
              })
               .json != nullptr;
  }
  void enter(int osd_hz = 10, int hsi_hz = 2) {
    LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
    LONGS_EQUAL(0, session->result_of("drc_mode_enter", enter_data(osd_hz, hsi_hz)));
    CHECK_TRUE(session->osd_shows(kSn, "drc_state", 2));
  }
  void stick(std::int64_t seq, int pitch) {
    drc->send(R"({"method":"stick_control","seq":)" + std::to_string(seq) + R"(,"data":{"roll":1024,"pitch":)" +
                  std::to_string(pitch) + R"(,"throttle":1024,"yaw":1024,"gimbal_pitch":1024}})",
              5);
  }
};

TEST(SimDrc, EnterNeedsAuthorityAndValidParameters) {
  LONGS_EQUAL(319030, session->result_of("drc_mode_enter", enter_data(10, 1)));
  LONGS_EQUAL(325001, session->result_of("payload_authority_grab", R"({"payload_index":"1-0-0"})"));
  LONGS_EQUAL(0, session->result_of("payload_authority_grab", R"({"payload_index":"80-0-0"})"));
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", enter_data(0, 1)));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", enter_data(10, 31)));
  LONGS_EQUAL(325001, session->result_of("drc_mode_enter", R"({"osd_frequency":10,"hsi_frequency":1})"));
  LONGS_EQUAL(319021, session->result_of("drc_mode_exit"));  // not in DRC
  // A broker that refuses the connection: accepted, then reported through drc_status_notify.
  std::string refused = std::string(R"({"mqtt_broker":{"address":"127.0.0.1:1","client_id":"c","username":"",)") +
                        R"("password":"","expire_time":0,"enable_tls":false},"osd_frequency":5,"hsi_frequency":1})";
  LONGS_EQUAL(0, session->result_of("drc_mode_enter", refused));
  Seen notify = session->cloud().wait_for(
      [](const Seen& seen) { return is_event(seen, "drc_status_notify") && seen.result() == 514304; }, 8s);
  CHECK_TRUE(notify.json != nullptr);
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
}

TEST(SimDrc, LinkEchoesHeartbeatsStreamsAtRequestedRatesAndExits) {
  enter(10, 2);
  heartbeat(1111);
  CHECK_TRUE(heartbeat_echoed(1111));
  // The browser demo's key for the timestamp is "ts".
  drc->send(R"({"method":"heart_beat","data":{"ts":2222}})");
  CHECK_TRUE(heartbeat_echoed(2222));

  std::size_t osd_before = drc->count("osd_info_push");
  std::vector<DrcSeen> osd = drc->wait_count("osd_info_push", osd_before + 11);
  CHECK_TRUE(osd.size() >= osd_before + 11);
  auto span = osd.back().at - osd[osd_before].at;  // ten periods at 10 Hz
  CHECK_TRUE(span >= 700ms);
  CHECK_TRUE(span <= 1600ms);
  const DrcSeen& sample = osd.back();
  CHECK_TRUE(sample.data().HasMember("latitude") && sample.data().HasMember("speed_x") &&
             sample.data().HasMember("attitude_head") && sample.data().HasMember("gimbal_pitch"));
  CHECK_TRUE(sample.json->HasMember("timestamp"));
  std::size_t hsi = drc->count("hsi_info_push");
  CHECK_TRUE(hsi >= 1 && hsi <= 5);  // 2 Hz over about a second and a half
  std::vector<DrcSeen> hsi_seen = drc->wait_count("hsi_info_push", 1);
  CHECK_TRUE(hsi_seen.front().data()["around_distances"].IsArray());

  LONGS_EQUAL(0, session->result_of("drc_mode_exit"));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
  // The pushes stop with the link.
  std::size_t after_exit = drc->count("osd_info_push");
  auto dock_osd = [](const Seen& seen) { return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn; };
  std::size_t osd_now = session->cloud().all(dock_osd).size();
  // Five more dock OSD periods (100 ms), in which a live link would have pushed about five times.
  CHECK_TRUE(session->cloud().wait_count(dock_osd, osd_now + 5, 5s).size() >= osd_now + 5);
  CHECK_TRUE(drc->count("osd_info_push") <= after_exit + 1);
}

TEST(SimDrc, NoHeartbeatLeavesDrc) {
  enter(10, 1);
  Seen notify = session->cloud().wait_for(
      [](const Seen& seen) { return is_event(seen, "drc_status_notify") && seen.result() == 514301; }, 6s);
  CHECK_TRUE(notify.json != nullptr);
  LONGS_EQUAL(0, int_in(notify, "drc_state"));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 0));
}

TEST(SimDrc, SticksMoveTheHoveringAircraftAndStaleSeqIsDropped) {
  // Get the aircraft hovering away from the dock: a flight, return_home, return_home_cancel.
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", prepare_data("drc-flight")));
  LONGS_EQUAL(0, session->result_of("flighttask_execute", R"({"flight_id":"drc-flight"})"));
  Seen far = session->cloud().wait_for(
      [](const Seen& seen) {
        const rapidjson::Value* distance = data_at(seen, "home_distance");
        return seen.kind == docklink::TopicKind::kOsd && seen.sn == kAircraft && distance != nullptr &&
               distance->IsNumber() && distance->GetDouble() > 150;
      },
      10s);
  CHECK_TRUE(far.json != nullptr);
  std::string home = session->call("return_home");
  std::string cancel = session->call("return_home_cancel");
  LONGS_EQUAL(0, session->reply_to(home).result());
  LONGS_EQUAL(0, session->reply_to(cancel).result());
  enter(10, 1);
  heartbeat(1);

  auto speed = [](const DrcSeen& seen) { return std::hypot(seen.number("speed_x"), seen.number("speed_y")); };
  stick(10, 1684);  // full forward
  DrcSeen moving =
      drc->wait_for([&](const DrcSeen& seen) { return seen.method() == "osd_info_push" && speed(seen) > 9; });
  CHECK_TRUE(moving.json != nullptr);
  // An older seq (neutral sticks) is ignored: the aircraft keeps flying.
  stick(5, 1024);
  std::size_t before = drc->count("osd_info_push");
  std::vector<DrcSeen> next = drc->wait_count("osd_info_push", before + 3);
  CHECK_TRUE(next.size() >= before + 3);
  for (std::size_t i = before; i < next.size(); ++i) CHECK_TRUE(speed(next[i]) > 9);
  // A newer one stops it.
  stick(11, 1024);
  DrcSeen stopped = drc->wait_for([&](const DrcSeen& seen) {
    return seen.method() == "osd_info_push" && seen.at > next.back().at && speed(seen) < 0.01;
  });
  CHECK_TRUE(stopped.json != nullptr);
  heartbeat(2);

  // drone_control: repeats are silent, an older seq is refused with 319033.
  drc->send(R"({"method":"drone_control","data":{"seq":3,"x":2,"y":0,"h":0,"w":0}})", 5);
  drc->send(R"({"method":"drone_control","data":{"seq":2,"x":0,"y":0,"h":0,"w":0}})");
  DrcSeen refused = drc->wait_for([](const DrcSeen& seen) { return seen.method() == "drone_control"; });
  CHECK_TRUE(refused.json != nullptr);
  LONGS_EQUAL(319033, static_cast<long>(refused.number("result")));
  CHECK_TRUE(drc->wait_for([&](const DrcSeen& seen) {
                  return seen.method() == "osd_info_push" && std::abs(speed(seen) - 2) < 0.01;
                })
                 .json != nullptr);
  heartbeat(3);
  CHECK_TRUE(heartbeat_echoed(3));
  LONGS_EQUAL(1, drc->count("drone_control"));
}
