// The transport conformance suite on the loopback transport (ports/loopback), each test on a fresh broker.
#include <memory>
#include <string>

#include "docklink/ports/loopback.hpp"
#include "transport_conformance.hpp"

namespace {

class LoopbackFactory : public docklink::conformance::TransportFactory {
 public:
  std::unique_ptr<docklink::port::Transport> make(const std::string& client_id) override {
    return std::make_unique<docklink::ports::LoopbackTransport>(broker_, client_id);
  }

 private:
  docklink::ports::LoopbackBroker broker_;  // outlives the transports: they die inside each test
};

}  // namespace

TEST_GROUP(LoopbackTransportConformance) { LoopbackFactory factory; };

DOCKLINK_TRANSPORT_CONFORMANCE_TESTS(LoopbackTransportConformance, factory)
