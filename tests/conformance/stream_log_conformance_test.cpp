// The log conformance suite on StreamLog (ports/posix), as text and as JSON lines, writing into a memory stream
// the harness reads back.
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "docklink/ports/stream_log.hpp"
#include "log_conformance.hpp"

namespace {

class StreamLogHarness : public docklink::conformance::LogHarness {
 public:
  explicit StreamLogHarness(docklink::ports::LogFormat format)
      : stream_(open_memstream(&buffer_, &size_)), log_(options(format, stream_)) {}
  ~StreamLogHarness() override {
    std::fclose(stream_);
    std::free(buffer_);
  }
  StreamLogHarness(const StreamLogHarness&) = delete;
  StreamLogHarness& operator=(const StreamLogHarness&) = delete;

  docklink::port::Log& log() override { return log_; }
  std::vector<std::string> lines() override {
    std::fflush(stream_);  // open_memstream updates buffer_ and size_ on a flush
    std::istringstream text(std::string(buffer_, size_));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
  }
  bool set_min_level(docklink::port::LogLevel level) override {
    log_.set_min_level(level);
    return true;
  }

 private:
  static docklink::ports::StreamLogOptions options(docklink::ports::LogFormat format, std::FILE* stream) {
    docklink::ports::StreamLogOptions options;
    options.format = format;
    options.stream = stream;
    return options;
  }

  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* stream_;
  docklink::ports::StreamLog log_;
};

}  // namespace

TEST_GROUP(StreamLogTextConformance) { StreamLogHarness harness{docklink::ports::LogFormat::kText}; };
DOCKLINK_LOG_CONFORMANCE_TESTS(StreamLogTextConformance, harness)

TEST_GROUP(StreamLogJsonConformance) { StreamLogHarness harness{docklink::ports::LogFormat::kJsonLines}; };
DOCKLINK_LOG_CONFORMANCE_TESTS(StreamLogJsonConformance, harness)
