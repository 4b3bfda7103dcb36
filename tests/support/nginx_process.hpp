// A private nginx (Debian nginx-light) for one test: its own temporary directory, free loopback ports, plain HTTP
// and optionally HTTPS, serving a directory of test files through locations that misbehave on purpose.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace docklink::test {

/// What the server offers besides plain HTTP.
struct NginxOptions {
  /// PEM certificate and key of an HTTPS listener (empty: no HTTPS).
  std::string certificate;
  std::string key;
  /// A second HTTPS listener with another certificate, e.g. one naming a different host (empty: none).
  std::string other_certificate;
  std::string other_key;
  /// The token location /auth/ expects as "Authorization: Bearer <token>".
  std::string bearer_token = "docklink-test-token";
  /// SO_SNDBUF of every listener (nginx's `listen ... sndbuf=`); 0: the system's, which on loopback grows to
  /// megabytes, so that a response of that size is written at once whatever the client reads. A small one makes
  /// nginx wait on a client that holds its reads back, as a server across a real link does.
  unsigned send_buffer_bytes = 0;
};

/// Runs `nginx -p <dir> -c <dir>/nginx.conf -e <dir>/error.log -g 'daemon off;'` as a child process (a master
/// and one worker) on 127.0.0.1, everything (logs, pid, temp files) inside its private directory. Every listener
/// serves files_directory() under these locations:
///   /files/NAME     the file, Range requests honoured (206)
///   /norange/NAME   the file, Range ignored (always 200 with the whole file: `max_ranges 0`)
///   /slow/NAME      the file at 16 KiB/s (`limit_rate`)
///   /impatient/NAME the file, but a client that leaves nginx's writes waiting for 1 s (`send_timeout 1s`) loses
///                   the connection: nginx's default of 60 s, made short so a test shows it in seconds
///   /stall/NAME     about 1 KiB of the response, then nothing for minutes (`limit_rate_after 1k; limit_rate 1`)
///   /cut/NAME       headers with the full Content-Length and about 1 KiB of body, then the connection is closed:
///                   nginx proxies /stall/NAME of its own plain listener with `proxy_read_timeout 200ms`, and when
///                   that upstream stalls after the headers went out it can only drop the client connection
///   /auth/NAME      the file when "Authorization: Bearer <bearer_token>" is sent, else 401
///   /redirect/NAME  302 to /files/NAME;  /loop/NAME  302 to itself, forever
///   /upload/NAME    PUT stores the body as uploads_directory()/NAME (nginx's dav module: `dav_methods PUT`)
///   /put-redirect/NAME  307 to /upload/NAME (a client must send the body again)
///   /impatient-upload/NAME  like /upload/NAME, but a body that pauses for 1 s ends the request
///                   (`client_body_timeout 1s`, nginx's default 60 s made short)
/// The access log (access_log_lines()) records "<connection serial> <requests on it> <method> <uri> <status>".
/// The destructor stops nginx and deletes the directory.
class NginxProcess {
 public:
  /// The nginx executable, or empty when nginx is not installed.
  static std::string binary();
  /// True, after printing a SKIPPED line, when nginx is not installed: tests then end early (TEST_EXIT).
  static bool missing();

  /// Starts nginx (retrying on other ports if one was taken meanwhile); check running() and error().
  explicit NginxProcess(NginxOptions options = {});
  ~NginxProcess();
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  /// True while the child runs (and every listener was seen accepting connections).
  bool running() const { return pid_ > 0; }
  /// Why the start failed (empty when it worked).
  const std::string& error() const { return error_; }
  /// "http://127.0.0.1:<port><path>".
  std::string http_url(const std::string& path) const;
  /// "https://<host>:<port><path>" of the HTTPS listener.
  std::string https_url(const std::string& path, const std::string& host = "127.0.0.1") const;
  /// "https://127.0.0.1:<port><path>" of the listener with the other certificate.
  std::string other_https_url(const std::string& path) const;
  /// The directory served under every location; files written here are served at once.
  std::string files_directory() const { return directory_ + "/files"; }
  /// Where PUT /upload/NAME stores its body.
  std::string uploads_directory() const { return directory_ + "/uploads"; }
  /// Writes files_directory()/name.
  bool write_file(const std::string& name, const std::string& content) const;
  /// The access log's lines so far, waiting up to 5 s until there are at least `at_least` (nginx writes a line
  /// after the response went out, so a client may see the response first).
  std::vector<std::string> access_log_lines(std::size_t at_least = 0) const;
  /// SIGTERM (fast shutdown), then waits for the exit (SIGKILL after 3 s).
  void stop();

 private:
  bool start();
  std::string config() const;
  std::string server_block(std::uint16_t port, const std::string& certificate, const std::string& key) const;
  bool wait_until_accepting();

  NginxOptions options_;
  std::string directory_;
  std::string error_;
  std::uint16_t http_port_ = 0;
  std::uint16_t https_port_ = 0;
  std::uint16_t other_https_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace docklink::test
