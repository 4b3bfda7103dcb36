// dock-sim and dock-cloud with real object storage: a private broker, s3rver, `dock-cloud serve` handing the
// server's bucket and key pair to docks (--store-*), a recording-only test cloud that sends the test's services,
// and one dock-sim keeping its files in the test's directory.
#pragma once

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "paho_test_support.hpp"  // TempDirectory
#include "s3_test_support.hpp"
#include "sim_test_support.hpp"

namespace simtest {

/// The SN of the dock an S3SimSession starts.
constexpr const char* kS3Dock = "S3SIM-0001";

/// Broker, s3rver, serve, test cloud and dock-sim (SN kS3Dock); ready() once all are up and the dock announced
/// itself.
class S3SimSession {
 public:
  explicit S3SimSession(const std::vector<std::string>& sim_extra) { not_ready_ = start(sim_extra); }
  /// Kills the processes outright (their clean shutdown is tested elsewhere).
  ~S3SimSession() {
    sim_.reset();
    cloud_.reset();
    serve_.reset();
    broker_.kill_now();
  }
  S3SimSession(const S3SimSession&) = delete;
  S3SimSession& operator=(const S3SimSession&) = delete;

  bool ready() const { return not_ready_.empty(); }
  /// Why the set-up failed, with what serve and dock-sim printed.
  std::string diagnostics() const { return not_ready_ + "\n" + logs(); }
  /// serve's stdout and stderr and dock-sim's log.
  std::string logs() const {
    std::string text = "--- serve stdout:\n";
    if (serve_) {
      for (const auto& line : serve_->lines()) text += line + "\n";
    }
    return text + "--- serve stderr:\n" + file_text(broker_.dir() + "/serve.err") + "--- dock-sim log:\n" +
           file_text(broker_.dir() + "/sim.log");
  }
  TestCloud& cloud() { return *cloud_; }
  ChildProcess& serve() { return *serve_; }
  Simulator& sim() { return *sim_; }
  const docklink::test::S3rverProcess& server() const { return *server_; }
  std::string files_dir() const { return directory_.file("files"); }

  /// data.result of the services_reply to `method` sent to the dock (-100 when none came).
  int result_of(const std::string& method, const std::string& data, const std::string& bid = {}) {
    std::string tid = cloud_->send(docklink::TopicKind::kServices, kS3Dock, method, data, bid);
    Seen reply = cloud_->wait_for([&](const Seen& seen) { return is_reply_to(seen, tid); });
    return reply.json != nullptr ? reply.result() : -100;
  }
  /// GET of object `key` signed with the server's key pair: the HTTP status and the body.
  docklink::test::RecordingSink get_object(const std::string& key) {
    return docklink::test::s3_send_signed(*http_, hashing_, *server_, docklink::test::s3rver_credentials(*server_),
                                          "GET", key);
  }

  /// Runs `dock-cloud` with the session's broker and store (--store-*) and `words` (e.g. {"logs", SN}); its stderr
  /// goes to console.err in the broker's directory.
  std::unique_ptr<ChildProcess> console(const std::vector<std::string>& words) {
    const auto& keys = server_->options();
    std::vector<std::string> args = {"--broker",           broker_.uri(), "--store-endpoint",   server_->endpoint(),
                                     "--store-bucket",     keys.bucket,   "--store-access-key", keys.access_key,
                                     "--store-secret-key", keys.secret};
    args.insert(args.end(), words.begin(), words.end());
    return std::make_unique<ChildProcess>("dock-cloud", args, broker_.dir() + "/console.err");
  }
  /// What the last console() printed on stderr.
  std::string console_errors() const { return file_text(broker_.dir() + "/console.err"); }

  static std::function<bool(const std::string&)> has(const std::string& text) {
    return [text](const std::string& line) { return line.find(text) != std::string::npos; };
  }

 private:
  // Starts everything; why it failed, or "" when it all runs.
  std::string start(const std::vector<std::string>& sim_extra) {
    server_ = std::make_unique<docklink::test::S3rverProcess>(directory_.file("s3"));
    if (!server_->running()) return "s3rver: " + server_->error();
    if (broker_.uri().empty()) return "the broker did not start";
    const auto& keys = server_->options();
    serve_ = std::make_unique<ChildProcess>(
        "dock-cloud",
        std::vector<std::string>{"--broker", broker_.uri(), "--verbose", "--store-endpoint", server_->endpoint(),
                                 "--store-bucket", keys.bucket, "--store-access-key", keys.access_key,
                                 "--store-secret-key", keys.secret, "serve"},
        broker_.dir() + "/serve.err");
    if (!serve_->started() || serve_->wait_line(has("dock-cloud: serving"), 20s).empty()) return "serve did not start";
    cloud_ = std::make_unique<TestCloud>(broker_.uri(), false);
    if (!cloud_->connected()) return "the test cloud did not connect";
    std::vector<std::string> args = {"--broker",    broker_.uri(), "--sn",        kS3Dock,
                                     "--log-level", "warn",        "--files-dir", files_dir()};
    args.insert(args.end(), sim_extra.begin(), sim_extra.end());
    sim_ = std::make_unique<Simulator>(broker_.dir() + "/sim.log", args);
    // The dock subscribes before it sends update_topo, so services sent after it are not lost.
    bool announced = sim_->started() && cloud_->wait_for([](const Seen& seen) {
                                                return seen.kind == docklink::TopicKind::kStatus;
                                              }).json != nullptr;
    if (!announced) return "no status from the dock";
    auto http = docklink::ports::CurlHttpClient::create({});
    if (!http) return "no HTTP client: " + http.status().to_string();
    http_ = std::move(http).value();
    return "";
  }

  docklink::test::TempDirectory directory_;
  Broker broker_;
  std::unique_ptr<docklink::test::S3rverProcess> server_;
  std::unique_ptr<ChildProcess> serve_;
  std::unique_ptr<TestCloud> cloud_;
  std::unique_ptr<Simulator> sim_;
  docklink::ports::MbedtlsHashing hashing_;
  std::unique_ptr<docklink::ports::CurlHttpClient> http_;
  std::string not_ready_ = "not started";
};

}  // namespace simtest
