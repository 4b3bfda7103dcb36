// The random conformance suite on MbedtlsRandom (ports/mbedtls), a freshly seeded generator per test.
#include <memory>

#include "docklink/ports/mbedtls_random.hpp"
#include "random_conformance.hpp"

TEST_GROUP(MbedtlsRandomConformance) {
  std::unique_ptr<docklink::ports::MbedtlsRandom> random;
  void setup() override {
    auto created = docklink::ports::MbedtlsRandom::create();
    CHECK_TRUE_TEXT(created.is_ok(), created.status().to_string().c_str());
    random = std::move(created).value();
  }
};

DOCKLINK_RANDOM_CONFORMANCE_TESTS(MbedtlsRandomConformance, *random)
