// The hashing conformance suite on MbedtlsHashing (ports/mbedtls).
#include "docklink/ports/mbedtls_hashing.hpp"
#include "hash_conformance.hpp"

TEST_GROUP(MbedtlsHashingConformance) { docklink::ports::MbedtlsHashing hashing; };

DOCKLINK_HASHING_CONFORMANCE_TESTS(MbedtlsHashingConformance, hashing)
