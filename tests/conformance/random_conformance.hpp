// The random conformance suite: what port::Random (docklink/port/random.hpp) promises, written once and run
// against every random source. tid/bid UUIDs come from it, so a source that leaves bytes unfilled, repeats itself
// or breaks under concurrent use gives two commands the same id. A port proves itself with one file:
//
//   TEST_GROUP(MyRandomConformance) { MyRandom random; };
//   DOCKLINK_RANDOM_CONFORMANCE_TESTS(MyRandomConformance, random)
//
// (see mbedtls_random_conformance_test.cpp). Statistical checks use bounds a working source misses with a
// probability far below 1e-12, so they never flake; they catch broken sources, not weak ones.
#pragma once

#include "docklink/port/random.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// fill() writes exactly `size` bytes: the bytes around the buffer stay as they were, for many sizes.
void random_fills_exactly_the_buffer(port::Random& random);
/// Every byte of the buffer is written, whatever it held before.
void random_fills_every_byte(port::Random& random);
/// fill() of zero bytes is ok and writes nothing.
void random_zero_bytes_is_ok(port::Random& random);
/// Draws differ: 2000 16-byte draws (UUID-sized) are all distinct.
void random_draws_differ(port::Random& random);
/// 64 KiB hold every byte value, and half their bits (within 1 %) are ones.
void random_bytes_are_balanced(port::Random& random);
/// Four threads drawing at once all succeed and never get the same 16 bytes.
void random_concurrent_draws_are_distinct(port::Random& random);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per random conformance check in `group`, each on `random` (a port::Random).
#define DOCKLINK_RANDOM_CONFORMANCE_TESTS(group, random)                                                 \
  TEST(group, FillsExactlyTheBuffer) { docklink::conformance::random_fills_exactly_the_buffer(random); } \
  TEST(group, FillsEveryByte) { docklink::conformance::random_fills_every_byte(random); }                \
  TEST(group, ZeroBytesIsOk) { docklink::conformance::random_zero_bytes_is_ok(random); }                 \
  TEST(group, DrawsDiffer) { docklink::conformance::random_draws_differ(random); }                       \
  TEST(group, BytesAreBalanced) { docklink::conformance::random_bytes_are_balanced(random); }            \
  TEST(group, ConcurrentDrawsAreDistinct) { docklink::conformance::random_concurrent_draws_are_distinct(random); }
