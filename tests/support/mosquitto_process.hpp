// A private mosquitto broker for one test: its own temporary directory, a free loopback port, extra
// configuration lines (TLS listener, password file...), and start/stop/restart by PID.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace docklink::test {

/// A loopback TCP port the kernel just considered free (0 if none). Someone may still take it before it is used:
/// MosquittoProcess retries its own listener on another port; a caller that puts one in `extra_config` does not.
std::uint16_t free_loopback_port();

/// True when something accepts TCP connections on 127.0.0.1:`port` now (a started server is listening).
bool loopback_port_accepts(std::uint16_t port);

/// Runs `mosquitto -c <dir>/mosquitto.conf` as a child process listening on 127.0.0.1:<random free port>.
///
/// The configuration is `listener <port> 127.0.0.1`, then `extra_config` (so listener options such as cafile or
/// require_certificate apply to it), then set_tcp_nodelay true (else a QoS 1 round trip costs ~88 ms, toolchain
/// notes P3), persistence false (unless `extra_config` says `persistence true`: then sessions survive restart()
/// and are kept in the private directory), a big max_queued_messages, `user <current user>` (a root-started broker
/// would otherwise lose access to the test's files) and allow_anonymous true unless `extra_config` sets it. The
/// destructor stops the broker and deletes the directory.
class MosquittoProcess {
 public:
  /// Starts the broker; check running() and error().
  explicit MosquittoProcess(std::string extra_config = {});
  ~MosquittoProcess();
  MosquittoProcess(const MosquittoProcess&) = delete;
  MosquittoProcess& operator=(const MosquittoProcess&) = delete;

  /// True while the child runs (and was seen accepting connections).
  bool running() const { return pid_ > 0; }
  /// Why the last start failed (empty when it worked).
  const std::string& error() const { return error_; }
  /// The loopback port; stays the same across restart().
  std::uint16_t port() const { return port_; }
  /// "tcp://127.0.0.1:<port>" (or another scheme).
  std::string uri(const std::string& scheme = "tcp", const std::string& host = "127.0.0.1") const;
  /// The broker's private directory (holds mosquitto.conf and mosquitto.log).
  const std::string& directory() const { return directory_; }
  /// What the broker has logged so far (mosquitto.log; connects name their client ids). Empty when unreadable.
  std::string log_text() const;
  /// The process id, or -1.
  pid_t pid() const { return pid_; }

  /// SIGTERM (a clean shutdown: v5 clients get DISCONNECT), then waits for the exit (SIGKILL after 3 s).
  void stop();
  /// SIGKILL: the kernel closes the sockets, like a crashed broker.
  void kill_now();
  /// SIGSTOP: the broker freezes with its sockets open, so nothing is acknowledged.
  bool suspend();
  /// SIGCONT after suspend().
  bool resume();
  /// Starts the broker again on the same port with the same configuration, trying for up to 30 s while the port
  /// is held by something else; false (with error()) when it never came up.
  bool restart();
  /// Waits up to 30 s until `port`, a further listener from `extra_config`, accepts connections: mosquitto opens
  /// its listeners one after another, and a websockets listener takes noticeably longer than the first one.
  bool wait_for_listener(std::uint16_t port);

 private:
  bool start_on(std::uint16_t port);
  bool wait_until_accepting();
  void reap(int signal_number);
  std::string last_log_line() const;

  std::string extra_config_;
  std::string directory_;
  std::string error_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace docklink::test
