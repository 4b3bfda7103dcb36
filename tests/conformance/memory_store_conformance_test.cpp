// The store conformance suite on MemoryStore (ports/posix), a fresh store per test.
#include "docklink/ports/memory_store.hpp"
#include "store_conformance.hpp"

TEST_GROUP(MemoryStoreConformance) { docklink::ports::MemoryStore store; };

DOCKLINK_STORE_CONFORMANCE_TESTS(MemoryStoreConformance, store)
