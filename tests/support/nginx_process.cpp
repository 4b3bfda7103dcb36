// Starting nginx as a child process. Readiness is observed (a TCP connect to every listener succeeds) rather than
// assumed; polling is the only way to learn it from another process.
#include "nginx_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "mosquitto_process.hpp"  // free_loopback_port(), loopback_port_accepts()

namespace docklink::test {
namespace {

// A bound for a server that never comes up, not a speed check (CI runs it beside qemu builds).
constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kPollInterval = std::chrono::milliseconds(5);

std::string make_temp_directory() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docklink-nginx-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) return {};
  return std::string(buffer.data());
}

// A root-started nginx runs its workers as `nobody`, who could not read the test's files or write its uploads;
// the workers run as the test's own user and group instead (the directive is ignored when not root).
std::string user_directive() {
  if (geteuid() != 0) return {};
  const passwd* user = getpwuid(geteuid());
  const group* group_entry = getgrgid(getegid());
  if (user == nullptr || group_entry == nullptr) return {};
  return std::string("user ") + user->pw_name + " " + group_entry->gr_name + ";\n";
}

}  // namespace

std::string NginxProcess::binary() {
  for (const char* candidate : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

bool NginxProcess::missing() {
  if (!binary().empty()) return false;
  std::fprintf(stderr, "\nSKIPPED: nginx is not installed (scripts/install-deps.sh installs nginx-light)\n");
  return true;
}

NginxProcess::NginxProcess(NginxOptions options) : options_(std::move(options)) {
  directory_ = make_temp_directory();
  if (directory_.empty()) {
    error_ = "could not create a temporary directory";
    return;
  }
  for (const char* sub : {"/files", "/uploads", "/tmp"}) mkdir((directory_ + sub).c_str(), 0755);
  for (int attempt = 0; attempt < 10 && pid_ < 0; ++attempt) start();
}

NginxProcess::~NginxProcess() {
  stop();
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

std::string NginxProcess::http_url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(http_port_) + path;
}

std::string NginxProcess::https_url(const std::string& path, const std::string& host) const {
  return "https://" + host + ":" + std::to_string(https_port_) + path;
}

std::string NginxProcess::other_https_url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(other_https_port_) + path;
}

bool NginxProcess::write_file(const std::string& name, const std::string& content) const {
  std::ofstream out(files_directory() + "/" + name, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out);
}

std::string NginxProcess::server_block(std::uint16_t port, const std::string& certificate,
                                       const std::string& key) const {
  const std::string files = files_directory() + "/";
  std::ostringstream out;
  out << "  server {\n    listen 127.0.0.1:" << port << (certificate.empty() ? "" : " ssl");
  if (options_.send_buffer_bytes > 0) out << " sndbuf=" << options_.send_buffer_bytes;
  out << ";\n";
  if (!certificate.empty())
    out << "    ssl_certificate " << certificate << ";\n    ssl_certificate_key " << key << ";\n";
  out << "    location /files/ { alias " << files << "; }\n"
      << "    location /norange/ { alias " << files << "; max_ranges 0; }\n"
      << "    location /impatient/ { alias " << files << "; send_timeout 1s; }\n"
      << "    location /slow/ { alias " << files << "; limit_rate 16k; }\n"
      << "    location /stall/ { alias " << files << "; limit_rate_after 1k; limit_rate 1; }\n"
      << "    location /cut/ { proxy_pass http://127.0.0.1:" << http_port_ << "/stall/; proxy_buffering off;"
      << " proxy_read_timeout 200ms; }\n"
      << "    location /auth/ { alias " << files << "; if ($http_authorization != \"Bearer " << options_.bearer_token
      << "\") { return 401; } }\n"
      << "    location /redirect/ { rewrite ^/redirect/(.*)$ /files/$1 redirect; }\n"
      << "    location /loop/ { rewrite ^ $uri redirect; }\n"
      << "    location /upload/ { alias " << uploads_directory() << "/; dav_methods PUT; client_max_body_size 0; }\n"
      << "    location /impatient-upload/ { alias " << uploads_directory()
      << "/; dav_methods PUT; client_max_body_size 0; client_body_timeout 1s; }\n"
      << "    location /put-redirect/ { rewrite ^/put-redirect/(.*)$ /upload/$1; return 307 $uri; }\n"
      << "  }\n";
  return out.str();
}

std::string NginxProcess::config() const {
  std::ostringstream out;
  out << user_directive() << "worker_processes 1;\npid " << directory_ << "/nginx.pid;\n"
      << "events { worker_connections 64; }\nhttp {\n"
      << "  log_format docklink '$connection $connection_requests $request_method $uri $status';\n"
      << "  access_log " << directory_ << "/access.log docklink;\n"
      << "  client_body_temp_path " << directory_ << "/tmp/body;\n  proxy_temp_path " << directory_ << "/tmp/proxy;\n"
      << "  fastcgi_temp_path " << directory_ << "/tmp/fastcgi;\n  uwsgi_temp_path " << directory_ << "/tmp/uwsgi;\n"
      << "  scgi_temp_path " << directory_ << "/tmp/scgi;\n"
      << "  default_type application/octet-stream;\n  keepalive_timeout 30s;\n";
  out << server_block(http_port_, "", "");
  if (!options_.certificate.empty()) out << server_block(https_port_, options_.certificate, options_.key);
  if (!options_.other_certificate.empty()) {
    out << server_block(other_https_port_, options_.other_certificate, options_.other_key);
  }
  out << "}\n";
  return out.str();
}

bool NginxProcess::start() {
  error_.clear();
  http_port_ = free_loopback_port();
  https_port_ = free_loopback_port();
  other_https_port_ = free_loopback_port();
  if (http_port_ == 0 || https_port_ == 0 || other_https_port_ == 0) {
    error_ = "no free port";
    return false;
  }
  const std::string config_path = directory_ + "/nginx.conf";
  {
    std::ofstream file(config_path, std::ios::trunc);
    file << config();
    if (!file) {
      error_ = "could not write " + config_path;
      return false;
    }
  }
  const std::string executable = binary();
  const std::string error_log = directory_ + "/error.log";
  pid_t child = spawn_logged({executable, "-p", directory_, "-c", config_path, "-e", error_log, "-g", "daemon off;"},
                             directory_ + "/stdout.log");
  if (child < 0) {
    error_ = "fork failed";
    return false;
  }
  pid_ = child;
  return wait_until_accepting();
}

bool NginxProcess::wait_until_accepting() {
  std::vector<std::uint16_t> ports{http_port_};
  if (!options_.certificate.empty()) ports.push_back(https_port_);
  if (!options_.other_certificate.empty()) ports.push_back(other_https_port_);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::size_t ready = 0;
  while (ready < ports.size() && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "nginx exited during start-up; see " + directory_ + "/error.log";
      return false;
    }
    if (loopback_port_accepts(ports[ready])) {
      ++ready;
    } else {
      std::this_thread::sleep_for(kPollInterval);
    }
  }
  if (ready == ports.size()) return true;
  stop();
  error_ = "nginx did not accept connections within 30 s";
  return false;
}

std::vector<std::string> NginxProcess::access_log_lines(std::size_t at_least) const {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::vector<std::string> lines;
  do {
    lines.clear();
    std::ifstream in(directory_ + "/access.log");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (lines.size() >= at_least) break;
    std::this_thread::sleep_for(kPollInterval);
  } while (std::chrono::steady_clock::now() < deadline);
  return lines;
}

void NginxProcess::stop() {
  stop_child(pid_);
  pid_ = -1;
}

}  // namespace docklink::test
