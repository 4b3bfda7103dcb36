// dock-cloud end to end: `serve` answers a simulated dock, and `call`, `set` and `watch` drive and show it. The
// console runs as a child process on a private broker; its stdout is read as JSON lines.

#include "sim_test_support.hpp"

#include <CppUTest/TestHarness.h>
// After TestHarness.h, which it needs.
#include <CppUTest/MemoryLeakWarningPlugin.h>

using namespace simtest;
using namespace std::chrono_literals;

namespace {

constexpr const char* kDock = "CONSOLE-0001";
constexpr const char* kDockAircraft = "CONSOLE-0001-UAV";

// dock-cloud's documented exit codes (dock-cloud --help).
constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoAnswer = 3;

using Json = std::shared_ptr<rapidjson::Document>;

/// What one finished dock-cloud run printed.
struct ConsoleRun {
  int exit_code = -1;
  std::vector<std::string> lines;  ///< All of stdout.
  std::vector<Json> json;          ///< The lines that are JSON objects, in order.
  std::string errors;              ///< All of stderr (sanitizer reports land here).

  /// The JSON lines whose "type" is `type`.
  std::vector<Json> of_type(const char* type) const {
    std::vector<Json> found;
    for (const auto& line : json) {
      auto it = line->FindMember("type");
      if (it != line->MemberEnd() && it->value.IsString() && std::string(it->value.GetString()) == type) {
        found.push_back(line);
      }
    }
    return found;
  }
  /// stdout, then stderr: what a failed check shows.
  std::string text() const {
    std::string all;
    for (const auto& line : lines) all += line + "\n";
    return errors.empty() ? all : all + "--- stderr:\n" + errors;
  }
};

std::string string_at(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

/// A private broker, `dock-cloud --verbose serve` answering the dock like a cloud, and one dock-sim (SN kDock).
class ConsoleSession {
 public:
  ConsoleSession() {
    if (broker_.uri().empty()) return;
    serve_ = std::make_unique<ChildProcess>("dock-cloud",
                                            std::vector<std::string>{"--broker", broker_.uri(), "--verbose", "serve"},
                                            broker_.dir() + "/serve.err");
    // serve prints this once it is connected and subscribed, so the dock's first uplinks reach it.
    if (!serve_->started() || serve_->wait_line(has("dock-cloud: serving"), 20s).empty()) return;
    sim_ = std::make_unique<Simulator>(
        broker_.dir() + "/sim.log", std::vector<std::string>{"--broker", broker_.uri(), "--sn", kDock, "--speed", "50",
                                                             "--osd-period-ms", "200", "--log-level", "warn"});
    ready_ = sim_->started() && !serve_->wait_line(has(answer("status update_topo")), 30s).empty();
  }
  /// Kills simulator and broker outright, as SimSession does: their clean shutdown is tested elsewhere.
  ~ConsoleSession() {
    sim_.reset();
    serve_.reset();
    broker_.kill_now();
  }
  ConsoleSession(const ConsoleSession&) = delete;
  ConsoleSession& operator=(const ConsoleSession&) = delete;

  /// True when broker, serve and simulator are up and serve answered the dock's update_topo.
  bool ready() const { return ready_; }
  ChildProcess& serve() { return *serve_; }
  std::string sim_log() const { return file_text(broker_.dir() + "/sim.log"); }
  /// What a failed set-up shows: the broker address, serve's output and stderr, and the simulator's log.
  std::string diagnostics() const {
    std::string text = "broker '" + broker_.uri() + "'\n--- serve stdout:\n";
    if (serve_) {
      for (const auto& line : serve_->lines()) text += line + "\n";
    }
    return text + "--- serve stderr:\n" + file_text(broker_.dir() + "/serve.err") + "--- dock-sim log:\n" + sim_log();
  }

  /// Runs `dock-cloud --broker URI args...` to its exit (or `timeout`).
  ConsoleRun run(std::vector<std::string> args, std::chrono::milliseconds timeout = 60s) {
    args.insert(args.begin(), {"--broker", broker_.uri()});
    ChildProcess console("dock-cloud", args, broker_.dir() + "/console.err");
    ConsoleRun run;
    run.exit_code = console.wait_exit(timeout);
    run.lines = console.lines();
    run.errors = file_text(broker_.dir() + "/console.err");
    for (const auto& line : run.lines) {
      auto json = std::make_shared<rapidjson::Document>();
      json->Parse(line.c_str());
      if (!json->HasParseError() && json->IsObject()) run.json.push_back(json);
    }
    return run;
  }
  /// Runs `dock-cloud call kDock METHOD [DATA] --json` with serve answering the job's events.
  ConsoleRun call(const std::string& method, const std::string& data = "{}") {
    return run({"--json", "--no-reply", "--timeout-s", "20", "call", kDock, method, data});
  }

  /// serve's verbose line for an answer to `what` ("requests config") from the dock.
  static std::string answer(const std::string& what) { return "serve: " + what + " from " + kDock; }
  static std::function<bool(const std::string&)> has(const std::string& text) {
    return [text](const std::string& line) { return line.find(text) != std::string::npos; };
  }

 private:
  Broker broker_;
  std::unique_ptr<ChildProcess> serve_;
  std::unique_ptr<Simulator> sim_;
  bool ready_ = false;
};

/// Index of the first line containing `text`, or -1.
int line_index(const std::vector<std::string>& lines, const std::string& text) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(text) != std::string::npos) return static_cast<int>(i);
  }
  return -1;
}

/// The per-property results of a `set --json` run, as the one set_reply line holds them.
const rapidjson::Value& set_results(const ConsoleRun& run) {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  auto replies = run.of_type("set_reply");
  if (replies.size() != 1) return kEmpty;
  auto it = replies[0]->FindMember("results");
  return it != replies[0]->MemberEnd() && it->value.IsObject() ? it->value : kEmpty;
}

/// The last row `watch --json` printed for kDock, or nullptr.
Json last_dock_row(const ConsoleRun& run) {
  Json row;
  for (const auto& line : run.of_type("dock")) {
    if (string_at(*line, "sn") == kDock) row = line;
  }
  return row;
}

}  // namespace

/// Every group starts a private broker, serve and the simulator.
struct ConsoleFixture : public Utest {
  std::unique_ptr<ConsoleSession> session;
  void setup() override {
    // Paho's threads allocate and free across test boundaries, which CppUTest's new/delete checks misread.
    MemoryLeakWarningPlugin::saveAndDisableNewDeleteOverloads();
    session = std::make_unique<ConsoleSession>();
    CHECK_TRUE_TEXT(session->ready(), session->diagnostics().c_str());
  }
  void teardown() override {
    session.reset();
    MemoryLeakWarningPlugin::restoreNewDeleteOverloads();
  }
};

TEST_GROUP_BASE(ConsoleServe, ConsoleFixture){};

TEST(ConsoleServe, AnswersConfigAndBindingSoTheDockBindsItself) {
  ChildProcess& serve = session->serve();
  // Each request follows a reply to the previous one, so the last one shows the dock got and accepted them all:
  // config (with a licence), airport_bind_status (not bound), airport_organization_get, then the bind itself.
  CHECK_FALSE(
      serve.wait_line(ConsoleSession::has(ConsoleSession::answer("requests airport_organization_bind")), 30s).empty());
  std::vector<std::string> lines = serve.lines();
  int config = line_index(lines, ConsoleSession::answer("requests config"));
  int bind_status = line_index(lines, ConsoleSession::answer("requests airport_bind_status"));
  int organization = line_index(lines, ConsoleSession::answer("requests airport_organization_get"));
  int bind = line_index(lines, ConsoleSession::answer("requests airport_organization_bind"));
  CHECK_TRUE(config >= 0);
  CHECK_TRUE(config < bind_status);
  CHECK_TRUE(bind_status < organization);
  CHECK_TRUE(organization < bind);

  // The dock carries on: it answers a service sent through the console.
  ConsoleRun debug = session->call("debug_mode_open");
  LONGS_EQUAL_TEXT(kExitOk, debug.exit_code, debug.text().c_str());

  // SIGTERM ends serve cleanly with a count of what it answered (update_topo, four requests at least).
  LONGS_EQUAL(kExitOk, serve.stop(SIGTERM, 20s));
  std::string summary = serve.wait_line(ConsoleSession::has("dock-cloud: answered"), 1s);
  unsigned long answered = 0;
  CHECK_EQUAL(1, std::sscanf(summary.c_str(), "dock-cloud: answered %lu", &answered));
  CHECK_TRUE(answered >= 5);
  // No request of the dock went unanswered.
  CHECK_TRUE(session->sim_log().find("no reply for tid") == std::string::npos);
}

TEST_GROUP_BASE(ConsoleCall, ConsoleFixture){};

TEST(ConsoleCall, DebugModeOpenPrintsItsReplyWithResultZero) {
  ConsoleRun run = session->call("debug_mode_open");
  LONGS_EQUAL_TEXT(kExitOk, run.exit_code, run.text().c_str());
  auto replies = run.of_type("reply");
  LONGS_EQUAL(1, replies.size());
  STRCMP_EQUAL(kDock, string_at(*replies[0], "sn").c_str());
  STRCMP_EQUAL("debug_mode_open", string_at(*replies[0], "method").c_str());
  LONGS_EQUAL(0, int_at(*replies[0], "result"));
  LONGS_EQUAL(0, run.of_type("progress").size());  // not a job: nothing to follow
}

TEST(ConsoleCall, CoverOpenFollowsTheJobToOk) {
  ConsoleRun debug = session->call("debug_mode_open");
  LONGS_EQUAL_TEXT(kExitOk, debug.exit_code, debug.text().c_str());

  ConsoleRun run = session->call("cover_open");
  LONGS_EQUAL_TEXT(kExitOk, run.exit_code, run.text().c_str());
  auto replies = run.of_type("reply");
  LONGS_EQUAL(1, replies.size());
  LONGS_EQUAL(0, int_at(*replies[0], "result"));
  auto progress = run.of_type("progress");
  CHECK_TRUE(progress.size() >= 2);
  for (const auto& event : progress) STRCMP_EQUAL("cover_open", string_at(*event, "method").c_str());
  // Every event before the last one is still running; the last is the terminal ok at 100 %.
  for (std::size_t i = 0; i + 1 < progress.size(); ++i) {
    STRCMP_EQUAL("in_progress", string_at(*progress[i], "status").c_str());
  }
  STRCMP_EQUAL("ok", string_at(*progress.back(), "status").c_str());
  LONGS_EQUAL(0, int_at(*progress.back(), "result"));
  LONGS_EQUAL(100, int_at(*progress.back(), "percent"));
  CHECK_TRUE(run.json.back() == progress.back());  // nothing printed after the terminal event
}

TEST(ConsoleCall, RefusedServicePrintsItsResultAndExitsWithOne) {
  ConsoleRun run = session->call("cover_open");  // outside remote debugging
  LONGS_EQUAL_TEXT(kExitRefused, run.exit_code, run.text().c_str());
  auto replies = run.of_type("reply");
  LONGS_EQUAL(1, replies.size());
  LONGS_EQUAL(514153, int_at(*replies[0], "result"));
  LONGS_EQUAL(0, run.of_type("progress").size());
}

TEST(ConsoleCall, SilentDockTimesOutWithExitThree) {
  ConsoleRun run = session->run({"--json", "--timeout-s", "1", "call", "CONSOLE-NOBODY", "debug_mode_open"});
  LONGS_EQUAL(kExitNoAnswer, run.exit_code);
  LONGS_EQUAL(0, run.json.size());
}

TEST_GROUP_BASE(ConsoleSet, ConsoleFixture){};

TEST(ConsoleSet, WritablePropertiesReportResultZero) {
  ConsoleRun run = session->run(
      {"--json", "set", kDock, R"({"height_limit":200,"obstacle_avoidance":{"horizon":1},"silent_mode":1})"});
  LONGS_EQUAL_TEXT(kExitOk, run.exit_code, run.text().c_str());
  auto replies = run.of_type("set_reply");
  LONGS_EQUAL(1, replies.size());
  STRCMP_EQUAL(kDock, string_at(*replies[0], "sn").c_str());
  const rapidjson::Value& results = set_results(run);
  LONGS_EQUAL(3, results.MemberCount());
  LONGS_EQUAL(0, int_at(results, "height_limit"));
  LONGS_EQUAL(0, int_at(results, "obstacle_avoidance.horizon"));  // nested leaves are flattened
  LONGS_EQUAL(0, int_at(results, "silent_mode"));
}

TEST(ConsoleSet, ReadOnlyUnknownAndOutOfRangePropertiesFailPerLeaf) {
  ConsoleRun run = session->run(
      {"--json", "set", kDock, R"({"height_limit":300,"mode_code":2,"no_such_property":1,"rth_altitude":5})"});
  LONGS_EQUAL_TEXT(kExitRefused, run.exit_code, run.text().c_str());
  const rapidjson::Value& results = set_results(run);
  LONGS_EQUAL(4, results.MemberCount());
  LONGS_EQUAL(0, int_at(results, "height_limit"));  // the valid leaf is still set
  CHECK_TRUE(int_at(results, "mode_code", 0) != 0);
  CHECK_TRUE(int_at(results, "no_such_property", 0) != 0);
  CHECK_TRUE(int_at(results, "rth_altitude", 0) != 0);  // below its minimum of 20
}

TEST_GROUP_BASE(ConsoleWatch, ConsoleFixture){};

TEST(ConsoleWatch, ListsTheDockWithItsAircraftModeCoverAndBattery) {
  ConsoleRun run = session->run({"--json", "--duration-s", "2.5", "watch"});
  LONGS_EQUAL_TEXT(kExitOk, run.exit_code, run.text().c_str());
  Json row = last_dock_row(run);
  CHECK_TRUE_TEXT(row != nullptr, run.text().c_str());
  LONGS_EQUAL(0, int_at(*row, "mode_code"));  // idle
  LONGS_EQUAL(0, int_at(*row, "cover_state"));
  LONGS_EQUAL(1, int_at(*row, "drone_in_dock"));
  int battery = int_at(*row, "battery");
  CHECK_TRUE(battery > 0 && battery <= 100);
  STRCMP_EQUAL(kDockAircraft, string_at(*row, "aircraft_sn").c_str());
  // The aircraft is listed under its dock, not as a dock of its own.
  for (const auto& line : run.of_type("dock")) STRCMP_EQUAL(kDock, string_at(*line, "sn").c_str());
}

TEST(ConsoleWatch, ShowsRemoteDebuggingAndTheOpenCoverAfterCalls) {
  ConsoleRun debug = session->call("debug_mode_open");
  LONGS_EQUAL_TEXT(kExitOk, debug.exit_code, debug.text().c_str());
  ConsoleRun cover = session->call("cover_open");
  LONGS_EQUAL_TEXT(kExitOk, cover.exit_code, cover.text().c_str());

  ConsoleRun run = session->run({"--json", "--duration-s", "2.5", "watch"});
  LONGS_EQUAL_TEXT(kExitOk, run.exit_code, run.text().c_str());
  Json row = last_dock_row(run);
  CHECK_TRUE_TEXT(row != nullptr, run.text().c_str());
  LONGS_EQUAL(2, int_at(*row, "mode_code"));  // remote debugging
  LONGS_EQUAL(1, int_at(*row, "cover_state"));
}

TEST_GROUP(ConsoleCommandLine){};

TEST(ConsoleCommandLine, HelpDocumentsTheExitCodes) {
  ChildProcess console("dock-cloud", {"--help"}, "/dev/null");
  LONGS_EQUAL(kExitOk, console.wait_exit(30s));
  std::vector<std::string> lines = console.lines();
  CHECK_TRUE(line_index(lines, "exit codes:") >= 0);
  CHECK_TRUE(line_index(lines, "  3  no answer") >= 0);
}

TEST(ConsoleCommandLine, BadArgumentsExitWithTwo) {
  ChildProcess missing_method("dock-cloud", {"call", kDock}, "/dev/null");
  LONGS_EQUAL(kExitUsage, missing_method.wait_exit(30s));
  LONGS_EQUAL(0, missing_method.lines().size());  // the usage goes to stderr
  ChildProcess not_an_object("dock-cloud", {"set", kDock, "[1]"}, "/dev/null");
  LONGS_EQUAL(kExitUsage, not_an_object.wait_exit(30s));
  // logs: an object store to put them in, and modules 0 (aircraft) or 3 (dock) only.
  ChildProcess logs_without_store("dock-cloud", {"logs", kDock}, "/dev/null");
  LONGS_EQUAL(kExitUsage, logs_without_store.wait_exit(30s));
  ChildProcess logs_of_module_7("dock-cloud",
                                {"--store-endpoint", "http://127.0.0.1:1", "--store-bucket", "b", "--store-access-key",
                                 "k", "--store-secret-key", "s", "logs", kDock, "3", "7"},
                                "/dev/null");
  LONGS_EQUAL(kExitUsage, logs_of_module_7.wait_exit(30s));
}

TEST(ConsoleCommandLine, UnreachableBrokerExitsWithThree) {
  // Port 1 on loopback refuses the connection at once.
  ChildProcess console("dock-cloud", {"--broker", "tcp://127.0.0.1:1", "--timeout-s", "5", "watch"}, "/dev/null");
  LONGS_EQUAL(kExitNoAnswer, console.wait_exit(30s));
}
