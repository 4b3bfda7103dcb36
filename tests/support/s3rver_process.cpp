// Starting s3rver under node as a child process. Readiness is observed (a TCP connect succeeds) rather than
// assumed: node takes a moment to load the package.
#include "s3rver_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "mosquitto_process.hpp"  // free_loopback_port(), loopback_port_accepts()

// Set by tests/CMakeLists.txt for this file only.
#ifndef DOCKLINK_S3RVER_INSTALL_DIR
#error "DOCKLINK_S3RVER_INSTALL_DIR must name the build tree's s3rver cache"
#endif
#ifndef DOCKLINK_S3RVER_MAIN
#error "DOCKLINK_S3RVER_MAIN must name tests/support/s3rver_main.js"
#endif

namespace docklink::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);  // node loads ~100 modules; slow machines take seconds
constexpr auto kPollInterval = std::chrono::milliseconds(10);

std::string node_binary() {
  for (const char* candidate : {"/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace

std::string S3rverProcess::install_directory() {
  const std::string directory = DOCKLINK_S3RVER_INSTALL_DIR;
  const std::string manifest = directory + "/node_modules/@20minutes/s3rver/package.json";
  if (node_binary().empty() || access(manifest.c_str(), R_OK) != 0) return {};
  return directory;
}

std::string S3rverProcess::missing_reason() {
  return std::string(
             "s3rver is not installed: run `ctest -L integration` (its fixture installs it) or "
             "scripts/s3rver-install.sh ") +
         DOCKLINK_S3RVER_INSTALL_DIR;
}

bool S3rverProcess::missing() {
  if (!install_directory().empty()) return false;
  std::fprintf(stderr, "\nSKIPPED: %s\n", missing_reason().c_str());
  return true;
}

S3rverProcess::S3rverProcess(std::string data_directory, S3rverOptions options)
    : data_directory_(std::move(data_directory)), options_(std::move(options)) {
  std::error_code ignored;
  std::filesystem::create_directories(data_directory_, ignored);
  if (install_directory().empty()) {
    error_ = missing_reason();
    return;
  }
  for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) start();
}

S3rverProcess::~S3rverProcess() { stop(); }

std::string S3rverProcess::endpoint() const {
  return (options_.certificate.empty() ? "http://127.0.0.1:" : "https://127.0.0.1:") + std::to_string(port_);
}

bool S3rverProcess::start() {
  error_.clear();
  port_ = free_loopback_port();
  if (port_ == 0) {
    error_ = "no free port";
    return false;
  }
  const std::string node = node_binary();
  const std::string install = install_directory();
  const std::string port = std::to_string(port_);
  std::vector<std::string> arguments{
      node,           DOCKLINK_S3RVER_MAIN, install, port, data_directory_, options_.bucket, options_.access_key,
      options_.secret};
  if (!options_.certificate.empty()) {
    arguments.push_back(options_.key);
    arguments.push_back(options_.certificate);
  }
  pid_t child = spawn_logged(arguments, data_directory_ + "/s3rver.log");
  if (child < 0) {
    error_ = "fork failed";
    return false;
  }
  pid_ = child;
  return wait_until_accepting();
}

bool S3rverProcess::wait_until_accepting() {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "s3rver exited during start-up; see " + data_directory_ + "/s3rver.log";
      return false;
    }
    if (loopback_port_accepts(port_)) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  stop();
  error_ = "s3rver did not accept connections within 15 s";
  return false;
}

void S3rverProcess::stop() {
  stop_child(pid_);
  pid_ = -1;
}

}  // namespace docklink::test
