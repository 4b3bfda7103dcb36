// LinuxPlatform: the POSIX ports (clock, log, file store) and the mbedTLS random source, assembled into one
// port::Platform. It lives with the POSIX port it assembles; the random source is the only piece from elsewhere.
#include "docklink/ports/linux_platform.hpp"

namespace docklink::ports {

namespace {

StreamLogOptions log_options(const LinuxPlatformOptions& options, const port::Clock* clock) {
  StreamLogOptions log;
  log.min_level = options.log_level;
  log.format = options.json_log ? LogFormat::kJsonLines : LogFormat::kText;
  log.stream = options.log_stream;
  log.clock = clock;
  return log;
}

}  // namespace

Result<std::unique_ptr<LinuxPlatform>> LinuxPlatform::create(LinuxPlatformOptions options) {
  auto random = MbedtlsRandom::create();
  if (!random) return random.status();
  std::unique_ptr<FileStore> store;
  if (!options.store_directory.empty()) {
    auto opened = FileStore::open(options.store_directory);
    if (!opened) return opened.status();
    store = std::move(opened).value();
  }
  return std::unique_ptr<LinuxPlatform>(new LinuxPlatform(options, std::move(random).value(), std::move(store)));
}

LinuxPlatform::LinuxPlatform(const LinuxPlatformOptions& options, std::unique_ptr<MbedtlsRandom> random,
                             std::unique_ptr<FileStore> store)
    : log_(log_options(options, &clock_)), random_(std::move(random)), store_(std::move(store)) {}

port::Platform LinuxPlatform::platform() noexcept {
  port::Platform platform;
  platform.clock = &clock_;
  platform.random = random_.get();
  platform.log = &log_;
  platform.store = store_.get();
  return platform;
}

}  // namespace docklink::ports
