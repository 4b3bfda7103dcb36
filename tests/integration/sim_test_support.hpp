// Shared pieces of the dock-sim integration tests: a private broker, dock-sim as a child process, a scripted
// cloud that records uplinks and answers like a simple cloud, a DRC-side cloud, and small JSON helpers.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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
#include "sim_cloud_client.hpp"

namespace simtest {

using namespace std::chrono_literals;

inline std::string source_root() {
  std::string file = __FILE__;  // .../tests/integration/sim_test_support.hpp
  return file.substr(0, file.rfind("/tests/integration/"));
}

inline std::string build_root() {
  char path[PATH_MAX] = {};
  ssize_t size = readlink("/proc/self/exe", path, sizeof path - 1);
  std::string exe(path, size > 0 ? static_cast<std::size_t>(size) : 0);
  std::string dir = exe.substr(0, exe.rfind('/'));  // .../build/tests
  return dir.substr(0, dir.rfind('/'));
}

/// Turns `args` into the command line of sample `program` (build/samples/NAME) and returns the file to exec. Cross
/// builds run the ARM sample through qemu-user (no binfmt here): DOCKLINK_TEST_EMULATOR, "qemu-aarch64 -L <sysroot>",
/// goes in front.
inline std::string sample_command(const std::string& program, std::vector<std::string>& args) {
  std::string binary = build_root() + "/samples/" + program;
  args.insert(args.begin(), binary);
  std::vector<std::string> emulator;
  if (const char* words = std::getenv("DOCKLINK_TEST_EMULATOR"); words != nullptr) {
    std::string word;
    for (const char* c = words;; ++c) {
      if (*c == ' ' || *c == '\0') {
        if (!word.empty()) emulator.push_back(word);
        word.clear();
        if (*c == '\0') break;
      } else {
        word += *c;
      }
    }
  }
  if (emulator.empty()) return binary;
  args.insert(args.begin(), emulator.begin(), emulator.end());
  binary = emulator.front();
  return binary.find('/') == std::string::npos ? "/usr/bin/" + binary : binary;
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
    std::string binary = sample_command("dock-sim", args);
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
class TestCloud : public CloudClient {
 public:
  explicit TestCloud(const std::string& uri) : answerer_([this] { answer_loop(); }) {
    open(uri, "sim-test-cloud", {"sys/product/+/status", "thing/product/+/#"}, docklink::port::Qos::kAtLeastOnce);
  }
  ~TestCloud() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    answerer_.join();
    close();
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
    std::vector<Seen> found = wait_matching(seen_, pred, 1, timeout);
    return found.empty() ? Seen{docklink::TopicKind::kStatus, "", nullptr} : found.front();
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
    return wait_matching(seen_, pred, count, timeout);
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
      const std::string method = seen.str("method");
      if (method == "config") {
        data = R"({"app_id":"1","app_key":"k","app_license":"l","ntp_server_host":"h","ntp_server_port":123})";
      } else if (method == "airport_bind_status") {
        // Organisation binding (§9), answered like the demo cloud: docks whose SN starts with "BOUND-" are
        // bound already, every other device is not.
        bool bound = seen.sn.rfind("BOUND-", 0) == 0;
        data = R"({"result":0,"output":{"bind_status":[)";
        auto devices = seen.data().FindMember("devices");
        if (devices != seen.data().MemberEnd() && devices->value.IsArray()) {
          const char* separator = "";
          for (const auto& device : devices->value.GetArray()) {
            auto sn = device.FindMember("sn");
            if (sn == device.MemberEnd() || !sn->value.IsString()) continue;
            data += std::string(separator) + R"({"sn":")" + sn->value.GetString() +
                    R"(","is_device_bind_organization":)" + (bound ? "true" : "false") +
                    R"(,"organization_id":"sim-organization","organization_name":"Sim Org","device_callsign":")" +
                    sn->value.GetString() + R"("})";
            separator = ",";
          }
        }
        data += "]}}";
      } else if (method == "airport_organization_get") {
        data = R"({"result":0,"output":{"organization_name":"Sim Org"}})";
      } else if (method == "airport_organization_bind") {
        data = R"({"result":0,"output":{"err_infos":[]}})";
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

  bool stopping_ = false;
  std::vector<Seen> seen_;
  std::vector<Seen> to_answer_;
  std::atomic<std::uint64_t> next_id_{0};
  std::thread answerer_;
};

inline bool is_reply_to(const Seen& seen, const std::string& tid) {
  return seen.kind == docklink::TopicKind::kServicesReply && seen.str("tid") == tid;
}

inline int int_at(const rapidjson::Value& object, const char* key, int fallback = -100) {
  if (!object.IsObject()) return fallback;
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : fallback;
}

inline std::string status_of(const Seen& seen) {
  auto output = seen.data().FindMember("output");
  if (output == seen.data().MemberEnd() || !output->value.IsObject()) return "";
  auto status = output->value.FindMember("status");
  return status != output->value.MemberEnd() && status->value.IsString() ? status->value.GetString() : "";
}

// The object at `path` (keys separated by '.') below data, or nullptr.
inline const rapidjson::Value* data_at(const Seen& seen, const std::string& path) {
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

inline int int_in(const Seen& seen, const std::string& path, int fallback = -100) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsInt() ? value->GetInt() : fallback;
}

inline std::string string_in(const Seen& seen, const std::string& path) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsString() ? value->GetString() : "";
}

inline bool is_event(const Seen& seen, const char* method) {
  return seen.kind == docklink::TopicKind::kEvents && seen.str("method") == method;
}

inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// flighttask_prepare data for an immediate task (or another task_type with `extra` fields).
inline std::string prepare_data(const std::string& flight_id, int task_type = 0, std::int64_t execute_time = 0,
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
class DrcCloud : public CloudClient {
 public:
  DrcCloud(const std::string& uri, const std::string& sn) : sn_(sn) {
    open(uri, "sim-test-drc-cloud", {docklink::topic(docklink::TopicKind::kDrcUp, sn_)},
         docklink::port::Qos::kAtMostOnce);
  }
  ~DrcCloud() override { close(); }
  DrcCloud(const DrcCloud&) = delete;
  DrcCloud& operator=(const DrcCloud&) = delete;
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
    return wait_matching(
        seen_, [&](const DrcSeen& seen) { return seen.method() == method; }, count, timeout);
  }
  /// The first message matching `pred` (json == nullptr on timeout).
  DrcSeen wait_for(std::function<bool(const DrcSeen&)> pred,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::vector<DrcSeen> found = wait_matching(seen_, pred, 1, timeout);
    return found.empty() ? DrcSeen{nullptr, {}} : found.front();
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

 private:
  std::string sn_;
  std::vector<DrcSeen> seen_;
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

/// A sample program (build/samples/NAME) as a child process whose stdout is read line by line through a pipe,
/// so tests wait on its output and its exit instead of sleeping. Runs through DOCKLINK_TEST_EMULATOR when set.
class ChildProcess {
 public:
  /// Starts `program` with `args`; its stderr goes to `stderr_path`.
  ChildProcess(const std::string& program, std::vector<std::string> args, const std::string& stderr_path) {
    std::string binary = sample_command(program, args);
    // Built before fork(): the child of a threaded parent may only make async-signal-safe calls.
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);  // dup2 clears close-on-exec on the copy
      int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);  // EOF on out[0] once the child is gone
    if (pid_ < 0) {
      close(out[0]);
      return;
    }
    out_fd_ = out[0];
    reader_ = std::thread([this] { read_lines(); });
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();
    if (out_fd_ >= 0) close(out_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0 && out_fd_ >= 0; }

  /// Waits for a stdout line matching `pred` (earlier lines count); the line, or "" on timeout or exit.
  std::string wait_line(std::function<bool(const std::string&)> pred, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::string found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& line : lines_) {
        if (pred(line)) {
          found = line;
          return true;
        }
      }
      return eof_;
    });
    return found;
  }
  /// Every stdout line so far.
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  /// Waits up to `timeout` for the child to close its stdout and exit; its exit status, or -1 on timeout or
  /// death by a signal.
  int wait_exit(std::chrono::milliseconds timeout) {
    if (reaped_) return exit_code_;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!cv_.wait_for(lock, timeout, [this] { return eof_; })) return -1;
    }
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    reaped_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  /// Sends `signal` and waits for the exit as wait_exit does.
  int stop(int signal, std::chrono::milliseconds timeout) {
    if (!reaped_ && pid_ > 0) kill(pid_, signal);
    return wait_exit(timeout);
  }

 private:
  void read_lines() {
    std::string partial;
    char buffer[4096];
    for (;;) {
      ssize_t size = read(out_fd_, buffer, sizeof buffer);
      if (size < 0 && errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      if (size <= 0) {
        if (!partial.empty()) lines_.push_back(partial);
        eof_ = true;
        cv_.notify_all();
        return;
      }
      partial.append(buffer, static_cast<std::size_t>(size));
      for (std::size_t end = partial.find('\n'); end != std::string::npos; end = partial.find('\n')) {
        lines_.push_back(partial.substr(0, end));
        partial.erase(0, end + 1);
      }
      cv_.notify_all();
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

}  // namespace simtest
