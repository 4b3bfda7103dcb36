// The clock conformance suite on PosixClock (ports/posix), against std::chrono::steady_clock in real time.
#include <chrono>
#include <thread>

#include "clock_conformance.hpp"
#include "docklink/ports/posix_clock.hpp"

namespace {

class PosixClockDriver : public docklink::conformance::ClockDriver {
 public:
  docklink::port::Clock& clock() override { return clock_; }
  void let_pass(std::int64_t ms) override { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
  std::int64_t reference_ms() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

 private:
  docklink::ports::PosixClock clock_;
};

}  // namespace

TEST_GROUP(PosixClockConformance) { PosixClockDriver driver; };

DOCKLINK_CLOCK_CONFORMANCE_TESTS(PosixClockConformance, driver)
