// The log conformance suite on RecordingLog (tests/support/test_ports.hpp), the tests' log: it has no level
// setting (it keeps everything), so the level checks only check enabled()'s order.
#include "test_ports.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "log_conformance.hpp"

namespace {

class RecordingLogHarness : public docklink::conformance::LogHarness {
 public:
  docklink::port::Log& log() override { return log_; }
  std::vector<std::string> lines() override { return log_.lines(); }

 private:
  docklink::test::RecordingLog log_;
};

}  // namespace

TEST_GROUP(RecordingTestLogConformance) { RecordingLogHarness harness; };
DOCKLINK_LOG_CONFORMANCE_TESTS(RecordingTestLogConformance, harness)
