// The random conformance suite on SeededRandom (tests/support/test_ports.hpp), the tests' repeatable stand-in
// for MbedtlsRandom: it is not unpredictable, but it keeps every other promise the core relies on.
#include "test_ports.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "random_conformance.hpp"

TEST_GROUP(SeededTestRandomConformance) { docklink::test::SeededRandom random; };

DOCKLINK_RANDOM_CONFORMANCE_TESTS(SeededTestRandomConformance, random)
