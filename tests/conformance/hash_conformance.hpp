// The hashing conformance suite: what port::Hashing and port::Hasher (docklink/port/hash.hpp) promise, written
// once and run against every hashing port. Digests are checked against published test vectors (RFC 1321 for
// MD5, FIPS 180-2 for SHA-256, RFC 4231 for HMAC-SHA256) and against digests of data at every block-padding
// boundary, each fed whole and in pieces of every size, as the transfer engine feeds a file as it arrives.
// A port proves itself with one file:
//
//   TEST_GROUP(MyHashingConformance) { MyHashing hashing; };
//   DOCKLINK_HASHING_CONFORMANCE_TESTS(MyHashingConformance, hashing)
//
// (see mbedtls_hashing_conformance_test.cpp).
#pragma once

#include "docklink/port/hash.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// The RFC 1321 MD5 test suite, each message whole and in pieces of every size; 16-byte digests.
void hash_md5_vectors(const port::Hashing& hashing);
/// The FIPS 180-2 SHA-256 examples (and the empty message), whole and in pieces of every size; 32-byte digests.
void hash_sha256_vectors(const port::Hashing& hashing);
/// Data of every length around the 64-byte block and its padding (55, 56, 63, 64, 65, ...), whole and in
/// pieces of every size, with empty pieces between them.
void hash_block_boundaries(const port::Hashing& hashing);
/// One million 'a's, fed in pieces of 1000 and 4096 bytes (a file arriving over the network).
void hash_long_input(const port::Hashing& hashing);
/// Two hashers fed in turns do not disturb each other.
void hash_hashers_are_independent(const port::Hashing& hashing);
/// After finish() the hasher is spent: a second finish() is empty, update() changes nothing.
void hash_spent_hasher_gives_nothing(const port::Hashing& hashing);
/// RFC 4231 HMAC-SHA256 test cases 1-4, 6 and 7 (keys of 4 to 131 bytes), and an empty key and message.
void hash_hmac_sha256_vectors(const port::Hashing& hashing);
/// Four threads hashing and computing HMACs on one Hashing at once all get the right digests.
void hash_concurrent_use_is_safe(const port::Hashing& hashing);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per hashing conformance check in `group`, each on `hashing` (a port::Hashing).
#define DOCKLINK_HASHING_CONFORMANCE_TESTS(group, hashing)                                                  \
  TEST(group, Md5Vectors) { docklink::conformance::hash_md5_vectors(hashing); }                             \
  TEST(group, Sha256Vectors) { docklink::conformance::hash_sha256_vectors(hashing); }                       \
  TEST(group, BlockBoundaries) { docklink::conformance::hash_block_boundaries(hashing); }                   \
  TEST(group, LongInput) { docklink::conformance::hash_long_input(hashing); }                               \
  TEST(group, HashersAreIndependent) { docklink::conformance::hash_hashers_are_independent(hashing); }      \
  TEST(group, SpentHasherGivesNothing) { docklink::conformance::hash_spent_hasher_gives_nothing(hashing); } \
  TEST(group, HmacSha256Vectors) { docklink::conformance::hash_hmac_sha256_vectors(hashing); }              \
  TEST(group, ConcurrentUseIsSafe) { docklink::conformance::hash_concurrent_use_is_safe(hashing); }
