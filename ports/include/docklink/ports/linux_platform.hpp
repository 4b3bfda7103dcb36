// The default OS ports for Linux in one object: clock, stderr log, mbedTLS random and an optional file store.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "docklink/export.hpp"
#include "docklink/port/log.hpp"
#include "docklink/port/platform.hpp"
#include "docklink/ports/file_store.hpp"
#include "docklink/ports/mbedtls_random.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/ports/stream_log.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// Settings of LinuxPlatform::create; the defaults log info and above as text to stderr and keep no store.
struct LinuxPlatformOptions {
  /// Lines below this level are not logged.
  port::LogLevel log_level = port::LogLevel::kInfo;
  /// JSON lines instead of text (for log shippers).
  bool json_log = false;
  /// Where log lines go; nullptr means stderr. Not owned.
  std::FILE* log_stream = nullptr;
  /// Directory of the durable offline queue; empty means no store (the queue is then memory-only).
  std::string store_directory;
};

/// Owns the Linux ports and hands them out as a port::Platform. Create it once per process; it must outlive
/// every Client and Runtime given its platform().
class DOCKLINK_API LinuxPlatform {
 public:
  /// Seeds the random generator and opens the store directory (when one is set). kInternal when entropy fails,
  /// kIo when the store directory cannot be created or opened.
  [[nodiscard]] static Result<std::unique_ptr<LinuxPlatform>> create(LinuxPlatformOptions options = {});

  LinuxPlatform(const LinuxPlatform&) = delete;
  LinuxPlatform& operator=(const LinuxPlatform&) = delete;

  /// Non-owning pointers to the ports; `store` is nullptr when no directory was given.
  port::Platform platform() noexcept;

  /// The clock.
  PosixClock& clock() noexcept { return clock_; }
  /// The log (its level can be changed at run time).
  StreamLog& log() noexcept { return log_; }
  /// The random generator.
  MbedtlsRandom& random() noexcept { return *random_; }
  /// The store, or nullptr.
  FileStore* store() noexcept { return store_.get(); }

 private:
  LinuxPlatform(const LinuxPlatformOptions& options, std::unique_ptr<MbedtlsRandom> random,
                std::unique_ptr<FileStore> store);

  PosixClock clock_;
  StreamLog log_;
  std::unique_ptr<MbedtlsRandom> random_;
  std::unique_ptr<FileStore> store_;
};

}  // namespace docklink::ports
