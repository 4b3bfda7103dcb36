// Implementation of the Paho test helpers (see paho_test_support.hpp).
#include "paho_test_support.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace docklink::test {

// ---- RecordingListener ----

void RecordingListener::on_message(std::string_view topic, std::string_view payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  messages_.emplace_back(std::string(topic), std::string(payload));
  changed_.notify_all();
}

void RecordingListener::on_connection_changed(bool connected, const Status& status, bool session_present) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.push_back({connected, status, session_present});
  changed_.notify_all();
}

void RecordingListener::on_publish_done(port::PublishId id, const Status& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  publishes_.push_back({id, status, std::chrono::steady_clock::now()});
  changed_.notify_all();
}

void RecordingListener::on_subscribe_failed(std::string_view filter, const Status& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  subscribe_failures_.emplace_back(std::string(filter), status);
  changed_.notify_all();
}

std::optional<std::pair<std::string, Status>> RecordingListener::first_subscribe_failure(
    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return !subscribe_failures_.empty(); })) return std::nullopt;
  return subscribe_failures_.front();
}

std::vector<std::pair<std::string, Status>> RecordingListener::subscribe_failures(std::size_t count,
                                                                                  std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return subscribe_failures_.size() >= count; });
  return subscribe_failures_;
}

std::optional<ConnectionEvent> RecordingListener::connection_event(std::size_t index,
                                                                   std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return connections_.size() > index; })) return std::nullopt;
  return connections_[index];
}

bool RecordingListener::wait_for_publishes(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return publishes_.size() >= count; });
}

bool RecordingListener::wait_for_messages(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

std::vector<PublishDone> RecordingListener::publishes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return publishes_;
}

std::vector<std::pair<std::string, std::string>> RecordingListener::messages() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_;
}

std::size_t RecordingListener::connection_event_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_.size();
}

std::map<port::PublishId, int> RecordingListener::publish_counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<port::PublishId, int> counts;
  for (const auto& done : publishes_) ++counts[done.id];
  return counts;
}

// ---- FixedCredentials ----

Result<port::Credentials> FixedCredentials::credentials() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++calls_;
  return credentials_;
}

int FixedCredentials::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

// ---- TempDirectory ----

TempDirectory::TempDirectory() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docklink-paho-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

// ---- certificates ----

namespace {

bool run(const std::string& command, std::string& error) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) == 0) return true;
  error = "failed: " + command;
  return false;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

const char* const kNewEcKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

bool make_ca(const std::string& dir, const std::string& name, const std::string& subject, std::string& error) {
  return run("openssl req -x509 " + std::string(kNewEcKey) + " -days 1 -subj '/CN=" + subject + "' -keyout " + dir +
                 "/" + name + ".key -out " + dir + "/" + name +
                 ".crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
             error);
}

bool make_leaf(const std::string& dir, const std::string& name, const std::string& subject,
               const std::string& extensions, int serial, std::string& error) {
  const std::string base = dir + "/" + name;
  return write_file(base + ".ext", extensions) &&
         run("openssl req " + std::string(kNewEcKey) + " -subj '/CN=" + subject + "' -keyout " + base + ".key -out " +
                 base + ".csr",
             error) &&
         run("openssl x509 -req -in " + base + ".csr -CA " + dir + "/ca.crt -CAkey " + dir + "/ca.key -set_serial " +
                 std::to_string(serial) + " -days 1 -out " + base + ".crt -extfile " + base + ".ext",
             error);
}

}  // namespace

TestCertificates make_test_certificates(const std::string& directory) {
  TestCertificates certificates;
  const std::string& d = directory;
  std::string& error = certificates.error;
  const std::string server_usage = "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n";
  const bool ok =
      make_ca(d, "ca", "DockLink Test CA", error) && make_ca(d, "other-ca", "Unrelated Test CA", error) &&
      make_leaf(d, "server", "localhost", server_usage + "subjectAltName=IP:127.0.0.1,DNS:localhost\n", 2, error) &&
      make_leaf(d, "client", "dock-under-test", "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n", 3,
                error) &&
      make_leaf(d, "wrong-name", "elsewhere.invalid", server_usage + "subjectAltName=DNS:elsewhere.invalid\n", 4,
                error);
  if (!ok) return certificates;
  certificates.ca_file = d + "/ca.crt";
  certificates.other_ca_file = d + "/other-ca.crt";
  certificates.other_ca_key = d + "/other-ca.key";
  certificates.server_certificate = d + "/server.crt";
  certificates.server_key = d + "/server.key";
  certificates.client_certificate = d + "/client.crt";
  certificates.client_key = d + "/client.key";
  certificates.wrong_name_certificate = d + "/wrong-name.crt";
  certificates.wrong_name_key = d + "/wrong-name.key";
  return certificates;
}

std::string tls_listener_config(const TestCertificates& certificates, const std::string& certificate,
                                const std::string& key, bool require_client_certificate) {
  std::string config = "cafile " + certificates.ca_file + "\ncertfile " + certificate + "\nkeyfile " + key + "\n";
  if (require_client_certificate) config += "require_certificate true\n";
  return config;
}

ports::PahoTransportOptions transport_options(const std::string& uri, const std::string& client_id,
                                              ports::MqttVersion version) {
  ports::PahoTransportOptions options;
  options.server_uri = uri;
  options.default_client_id = client_id;
  options.mqtt_version = version;
  options.connect_timeout = std::chrono::seconds(5);
  return options;
}

std::unique_ptr<ports::PahoTransport> connect_transport(const ports::PahoTransportOptions& options,
                                                        RecordingListener& listener, std::string* why) {
  std::string ignored;
  std::string& reason = why != nullptr ? *why : ignored;
  auto created = ports::PahoTransport::create(options);
  if (!created) {
    reason = "create: " + created.status().to_string();
    return nullptr;
  }
  auto transport = std::move(created).value();
  transport->set_listener(&listener);
  const Status accepted = transport->connect();
  if (!accepted) {
    reason = "connect: " + accepted.to_string();
    return nullptr;
  }
  const auto up = listener.connection_event(0);
  if (!up.has_value() || !up->connected) {
    reason = up.has_value() ? up->status.to_string() : "no connection event";
    return nullptr;
  }
  return transport;
}

std::size_t thread_count() {
  std::size_t count = 0;
  if (DIR* tasks = opendir("/proc/self/task")) {
    while (const dirent* entry = readdir(tasks)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(tasks);
  }
  return count;
}

double percentile_us(std::vector<double> samples, double percentile) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto last = static_cast<double>(samples.size() - 1);
  const auto index = static_cast<std::size_t>(percentile / 100.0 * last + 0.5);
  return samples[std::min(index, samples.size() - 1)];
}

}  // namespace docklink::test
