// A private S3-compatible server for one test: @20minutes/s3rver (installed by scripts/s3rver-install.sh into the
// build tree) on a free loopback port over plain HTTP, one bucket, one key pair, data in the test's directory.
// It verifies Signature V4 (header-signed and pre-signed), which is why the upload tests use it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace docklink::test {

/// The bucket and the only key pair the server accepts (its built-in pair is revoked).
struct S3rverOptions {
  std::string bucket = "docklink-test";
  std::string access_key = "DOCKLINKTESTKEY";
  std::string secret = "docklink-test-secret";
  /// PEM files of a certificate and its key: the server speaks https with them. Empty: plain http.
  std::string certificate;
  std::string key;  ///< The certificate's private key (PEM).
};

/// Runs `node tests/support/s3rver_main.js` as a child process. The destructor stops it.
class S3rverProcess {
 public:
  /// Where the build installed the server (the ctest fixture s3rver.install does it), or empty when it is not
  /// installed there; missing_reason() says why and how to install it.
  static std::string install_directory();
  /// A line for a skipped test when install_directory() is empty.
  static std::string missing_reason();
  /// True, with missing_reason() printed as a SKIPPED line, when the server is not installed: a test's setup()
  /// exits then (like NginxProcess::missing()).
  static bool missing();

  /// Starts the server keeping its objects under `data_directory` (created; the caller deletes it), retrying on
  /// other ports if one was taken meanwhile; check running() and error().
  S3rverProcess(std::string data_directory, S3rverOptions options = {});
  ~S3rverProcess();
  S3rverProcess(const S3rverProcess&) = delete;
  S3rverProcess& operator=(const S3rverProcess&) = delete;

  /// True while the child runs (and was seen accepting connections).
  bool running() const { return pid_ > 0; }
  /// Why the start failed (empty when it worked).
  const std::string& error() const { return error_; }
  /// "http://127.0.0.1:<port>" (https with a certificate), the S3 endpoint (path-style addressing).
  std::string endpoint() const;
  /// The bucket and key pair it was started with.
  const S3rverOptions& options() const { return options_; }
  /// SIGTERM, then waits for the exit (SIGKILL after 3 s).
  void stop();

 private:
  bool start();
  bool wait_until_accepting();

  std::string data_directory_;
  S3rverOptions options_;
  std::string error_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace docklink::test
