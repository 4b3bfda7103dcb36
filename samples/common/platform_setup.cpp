#include "platform_setup.hpp"

#include "docklink/ports/mbedtls_random.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/ports/stream_log.hpp"

namespace docklink::samples {

struct PlatformSetup::Ports {
  ports::PosixClock clock;
  std::unique_ptr<ports::MbedtlsRandom> random;
  std::unique_ptr<ports::StreamLog> log;
};

PlatformSetup::PlatformSetup() = default;
PlatformSetup::~PlatformSetup() = default;

Status PlatformSetup::open(const std::string& log_level, bool json_log) {
  auto level = ports::parse_log_level(log_level);
  if (!level) return level.status();
  ports_ = std::make_unique<Ports>();
  auto random = ports::MbedtlsRandom::create();
  if (!random) return random.status();
  ports_->random = std::move(random).value();
  ports::StreamLogOptions log_options;
  log_options.min_level = level.value();
  log_options.format = json_log ? ports::LogFormat::kJsonLines : ports::LogFormat::kText;
  log_options.clock = &ports_->clock;
  ports_->log = std::make_unique<ports::StreamLog>(log_options);
  platform_.clock = &ports_->clock;
  platform_.random = ports_->random.get();
  platform_.log = ports_->log.get();
  platform_.store = nullptr;
  return Status::ok();
}

}  // namespace docklink::samples
