// The store conformance suite: the behaviour of port::Store (docklink/port/store.hpp) that the core's durable
// offline queue relies on, written once and run against every store port. A port proves itself with one file:
//
//   TEST_GROUP(MyStoreConformance) {
//     std::unique_ptr<MyStore> store;
//     void setup() override { store = ...; }  // a fresh, empty store for every test
//   };
//   DOCKLINK_STORE_CONFORMANCE_TESTS(MyStoreConformance, *store)
//
// (see memory_store_conformance_test.cpp and file_store_conformance_test.cpp). Keys are the ones the core
// writes (detail::uplink_store_key: "dlq." + the gateway SN in hex + "." + a 20-digit sequence number).
#pragma once

#include "docklink/port/store.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// put() then get() returns the value.
void store_put_then_get(port::Store& store);
/// get() of a key never written, or removed, is kNotFound; remove() of a missing key is ok.
void store_missing_key_is_not_found(port::Store& store);
/// A second put() replaces the value and adds no key.
void store_put_replaces(port::Store& store);
/// Values are bytes: NULs, every byte value, an empty value and 256 KiB come back unchanged.
void store_binary_values_round_trip(port::Store& store);
/// keys(prefix) lists the keys with that prefix in ascending byte order (sequence numbers in creation order).
void store_keys_ascend_within_prefix(port::Store& store);
/// keys() of one gateway never lists another's, also when one SN's hex is a prefix of the other's.
void store_prefix_separates_gateways(port::Store& store);
/// keys("") lists everything; a prefix matching nothing gives an empty list (ok); removed keys are gone.
void store_keys_edge_cases(port::Store& store);
/// The longest key the core writes (an SN of defaults::kMaxSnLength bytes, the largest sequence) works.
void store_longest_core_key_works(port::Store& store);
/// Several threads putting, reading and removing at once leave exactly the records they meant to keep.
void store_concurrent_use_is_safe(port::Store& store);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per conformance check in `group`, each on `store` (an expression naming a fresh,
/// empty port::Store of the group).
#define DOCKLINK_STORE_CONFORMANCE_TESTS(group, store)                                                    \
  TEST(group, PutThenGet) { docklink::conformance::store_put_then_get(store); }                           \
  TEST(group, MissingKeyIsNotFound) { docklink::conformance::store_missing_key_is_not_found(store); }     \
  TEST(group, PutReplaces) { docklink::conformance::store_put_replaces(store); }                          \
  TEST(group, BinaryValuesRoundTrip) { docklink::conformance::store_binary_values_round_trip(store); }    \
  TEST(group, KeysAscendWithinPrefix) { docklink::conformance::store_keys_ascend_within_prefix(store); }  \
  TEST(group, PrefixSeparatesGateways) { docklink::conformance::store_prefix_separates_gateways(store); } \
  TEST(group, KeysEdgeCases) { docklink::conformance::store_keys_edge_cases(store); }                     \
  TEST(group, LongestCoreKeyWorks) { docklink::conformance::store_longest_core_key_works(store); }        \
  TEST(group, ConcurrentUseIsSafe) { docklink::conformance::store_concurrent_use_is_safe(store); }
