// Shared pieces of the Paho transport integration tests: a listener that records and lets tests wait on
// condition variables, fixed credentials, and certificates made with the openssl CLI at run time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docklink/port/credentials.hpp"
#include "docklink/port/transport.hpp"
#include "docklink/ports/paho_transport.hpp"

namespace docklink::test {

/// Generous bound for anything the tests wait for; only reached when something is broken.
inline constexpr std::chrono::seconds kPahoWait{10};

/// One on_connection_changed call.
struct ConnectionEvent {
  bool connected = false;
  Status status;
  bool session_present = false;
};

/// One on_publish_done call.
struct PublishDone {
  port::PublishId id = 0;
  Status status;
  std::chrono::steady_clock::time_point at;
};

/// Records every listener call; the wait_* methods block on a condition variable until enough arrived.
class RecordingListener : public port::TransportListener {
 public:
  void on_message(std::string_view topic, std::string_view payload) override;
  void on_connection_changed(bool connected, const Status& status, bool session_present) override;
  void on_publish_done(port::PublishId id, const Status& status) override;
  void on_subscribe_failed(std::string_view filter, const Status& status) override;

  /// The first subscribe failure (filter and status), waiting up to `timeout` for it.
  std::optional<std::pair<std::string, Status>> first_subscribe_failure(std::chrono::milliseconds timeout = kPahoWait);
  /// Every subscribe failure so far once at least `count` arrived (fewer on timeout).
  std::vector<std::pair<std::string, Status>> subscribe_failures(std::size_t count,
                                                                 std::chrono::milliseconds timeout = kPahoWait);
  /// The `index`-th connection event (0-based), waiting up to `timeout` for it.
  std::optional<ConnectionEvent> connection_event(std::size_t index, std::chrono::milliseconds timeout = kPahoWait);
  /// Waits until at least `count` publish completions arrived.
  bool wait_for_publishes(std::size_t count, std::chrono::milliseconds timeout = kPahoWait);
  /// Waits until at least `count` messages arrived.
  bool wait_for_messages(std::size_t count, std::chrono::milliseconds timeout = kPahoWait);

  std::vector<PublishDone> publishes() const;
  std::vector<std::pair<std::string, std::string>> messages() const;
  std::size_t connection_event_count() const;
  /// How many times each id was reported.
  std::map<port::PublishId, int> publish_counts() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ConnectionEvent> connections_;
  std::vector<PublishDone> publishes_;
  std::vector<std::pair<std::string, std::string>> messages_;
  std::vector<std::pair<std::string, Status>> subscribe_failures_;
};

/// Hands out the same credentials every time and counts the calls.
class FixedCredentials : public port::CredentialsProvider {
 public:
  explicit FixedCredentials(port::Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<port::Credentials> credentials() override;
  int calls() const;

 private:
  mutable std::mutex mutex_;
  port::Credentials credentials_;
  int calls_ = 0;
};

/// A temporary directory removed (with its contents) on destruction.
class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Certificates made by the openssl CLI (EC P-256, valid one day): a CA; a server certificate for
/// 127.0.0.1/localhost; a client certificate; a server certificate naming only "elsewhere.invalid"; and a
/// second, unrelated CA. All files are in `directory`.
struct TestCertificates {
  std::string ca_file;
  std::string server_certificate;
  std::string server_key;
  std::string client_certificate;
  std::string client_key;
  std::string wrong_name_certificate;
  std::string wrong_name_key;
  std::string other_ca_file;
  std::string other_ca_key;  ///< Key of the self-signed other CA: a client certificate no broker here trusts.
  std::string error;         ///< Non-empty when generation failed (then the paths are unusable).
};

/// Generates the certificates into `directory` with `openssl`.
TestCertificates make_test_certificates(const std::string& directory);

/// mosquitto listener lines for TLS with the given server certificate.
std::string tls_listener_config(const TestCertificates& certificates, const std::string& certificate,
                                const std::string& key, bool require_client_certificate = false);

/// Options for a transport talking to `uri` as `client_id` (MQTT 3.1.1 unless told otherwise).
ports::PahoTransportOptions transport_options(const std::string& uri, const std::string& client_id,
                                              ports::MqttVersion version = ports::MqttVersion::kV311);

/// A transport made from `options`, reporting to `listener` (which must outlive it), and connected: nullptr unless
/// it was created, connect() was accepted and the first connection event says connected. What happened instead
/// goes to `why` when given.
std::unique_ptr<ports::PahoTransport> connect_transport(const ports::PahoTransportOptions& options,
                                                        RecordingListener& listener, std::string* why = nullptr);

/// Threads of this process (from /proc/self/task).
std::size_t thread_count();

/// Percentile (0..100) of a set of durations in microseconds; sorts a copy.
double percentile_us(std::vector<double> samples, double percentile);

}  // namespace docklink::test
