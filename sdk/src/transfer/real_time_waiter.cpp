#include "real_time_waiter.hpp"

namespace docklink::transfer::detail {
namespace {

class RealTimeWaiter final : public TransferWaiter {
 public:
  void wait(std::int64_t ms, TransferControl& control) override { control.wait_ms(ms); }
};

}  // namespace

TransferWaiter& waiter_or_real_time(TransferWaiter* given) {
  static RealTimeWaiter real_time;  // stateless: one serves every thread
  return given != nullptr ? *given : real_time;
}

}  // namespace docklink::transfer::detail
