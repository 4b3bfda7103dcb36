// Starting mosquitto as a child process. Readiness is observed (a TCP connect succeeds) rather than assumed;
// polling is the only way to learn it from another process.
#include "mosquitto_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

namespace docklink::test {
namespace {

// Bounds for a broker that never comes up, not speed checks: a CI runner with qemu builds beside the tests can take
// seconds to schedule a fresh process.
constexpr auto kStartTimeout = std::chrono::seconds(30);
// How long restart() keeps trying the old port. While it was closed something else may hold it for a moment: a
// client retrying its connect can meet itself (a loopback TCP self-connect), or another test's probe can bind it.
constexpr auto kRestartTimeout = std::chrono::seconds(30);
constexpr auto kRestartRetryInterval = std::chrono::milliseconds(100);
constexpr auto kStopTimeout = std::chrono::seconds(3);
constexpr auto kPollInterval = std::chrono::milliseconds(5);

std::string make_temp_directory() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docklink-broker-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) return {};
  return std::string(buffer.data());
}

}  // namespace

std::uint16_t free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool loopback_port_accepts(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

namespace {

std::string current_user() {
  const passwd* entry = getpwuid(getuid());
  return entry != nullptr ? entry->pw_name : "root";
}

std::string mosquitto_binary() {
  for (const char* candidate : {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "mosquitto";  // let execvp search PATH
}

}  // namespace

MosquittoProcess::MosquittoProcess(std::string extra_config) : extra_config_(std::move(extra_config)) {
  directory_ = make_temp_directory();
  if (directory_.empty()) {
    error_ = "could not create a temporary directory";
    return;
  }
  for (int attempt = 0; attempt < 10 && pid_ < 0; ++attempt) start_on(free_loopback_port());
}

MosquittoProcess::~MosquittoProcess() {
  stop();
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

std::string MosquittoProcess::uri(const std::string& scheme, const std::string& host) const {
  return scheme + "://" + host + ":" + std::to_string(port_);
}

std::string MosquittoProcess::log_text() const {
  std::ifstream in(directory_ + "/mosquitto.log", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool MosquittoProcess::start_on(std::uint16_t port) {
  error_.clear();
  if (port == 0) {
    error_ = "no free port";
    return false;
  }
  port_ = port;
  const std::string config_path = directory_ + "/mosquitto.conf";
  {
    std::ofstream config(config_path, std::ios::trunc);
    config << "listener " << port << " 127.0.0.1\n" << extra_config_ << "\n";
    config << "set_tcp_nodelay true\n";
    // Persistence keeps sessions across restart(); its file lives in the private directory.
    if (extra_config_.find("persistence true") != std::string::npos) {
      config << "persistence_location " << directory_ << "/\n";
    } else {
      config << "persistence false\n";
    }
    config << "max_queued_messages 100000\n"
           << "log_dest file " << directory_ << "/mosquitto.log\n"
           << "user " << current_user() << "\n";
    if (extra_config_.find("allow_anonymous") == std::string::npos) config << "allow_anonymous true\n";
    if (!config) {
      error_ = "could not write " + config_path;
      return false;
    }
  }
  const std::string binary = mosquitto_binary();
  const std::string output_path = directory_ + "/stdout.log";
  pid_t child = fork();
  if (child < 0) {
    error_ = "fork failed";
    return false;
  }
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // a crashed test must not leave its broker behind
    int output = open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (output >= 0) {
      dup2(output, STDOUT_FILENO);
      dup2(output, STDERR_FILENO);
    }
    execlp(binary.c_str(), "mosquitto", "-c", config_path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = child;
  return wait_until_accepting();
}

bool MosquittoProcess::wait_until_accepting() { return wait_for_listener(port_); }

bool MosquittoProcess::wait_for_listener(std::uint16_t port) {
  if (pid_ <= 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "mosquitto exited during start-up: " + last_log_line();
      return false;
    }
    if (loopback_port_accepts(port)) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  reap(SIGKILL);
  error_ =
      "mosquitto did not accept connections within " + std::to_string(kStartTimeout.count()) + " s: " + last_log_line();
  return false;
}

void MosquittoProcess::reap(int signal_number) {
  if (pid_ <= 0) return;
  kill(pid_, signal_number);
  // A suspended broker acts on SIGTERM only once continued; SIGKILL needs no help (and must not let a frozen
  // broker run, or it would acknowledge what a test expects to stay unacknowledged).
  if (signal_number != SIGKILL) kill(pid_, SIGCONT);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  pid_ = -1;
}

void MosquittoProcess::stop() { reap(SIGTERM); }

void MosquittoProcess::kill_now() { reap(SIGKILL); }

bool MosquittoProcess::suspend() { return pid_ > 0 && kill(pid_, SIGSTOP) == 0; }

bool MosquittoProcess::resume() { return pid_ > 0 && kill(pid_, SIGCONT) == 0; }

bool MosquittoProcess::restart() {
  stop();
  const auto deadline = std::chrono::steady_clock::now() + kRestartTimeout;
  while (!start_on(port_)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(kRestartRetryInterval);
  }
  return true;
}

std::string MosquittoProcess::last_log_line() const {
  std::string text = log_text();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto start = text.rfind('\n');
  return text.empty() ? "(mosquitto.log is empty)" : text.substr(start == std::string::npos ? 0 : start + 1);
}

}  // namespace docklink::test
