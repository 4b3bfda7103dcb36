#include "backoff.hpp"

#include <CppUTest/TestHarness.h>

using docklink::BackoffOptions;
using docklink::detail::auth_retry_bound_ms;
using docklink::detail::auth_retry_delay_ms;
using docklink::detail::backoff_bound_ms;
using docklink::detail::backoff_delay_ms;

TEST_GROUP(Backoff){};

TEST(Backoff, BoundDoublesFromInitialUpToCap) {
  BackoffOptions options;  // 1 s initial, 120 s cap
  LONGS_EQUAL(1000, backoff_bound_ms(options, 0));
  LONGS_EQUAL(2000, backoff_bound_ms(options, 1));
  LONGS_EQUAL(64000, backoff_bound_ms(options, 6));
  LONGS_EQUAL(120000, backoff_bound_ms(options, 7));
  LONGS_EQUAL(120000, backoff_bound_ms(options, 1000));  // no overflow on long outages
}

TEST(Backoff, FullJitterScalesTheBound) {
  BackoffOptions options;
  LONGS_EQUAL(0, backoff_delay_ms(options, 3, 0.0));
  LONGS_EQUAL(4000, backoff_delay_ms(options, 3, 0.5));
  CHECK(backoff_delay_ms(options, 3, 1.0) < 8000);
  CHECK(backoff_delay_ms(options, 3, -1.0) == 0);
}

TEST(Backoff, DefaultsResetAfterFiveStableSecondsAndRetryRefusalsFrom30sTo10min) {
  BackoffOptions options;
  LONGS_EQUAL(5000, options.ready_stable_ms);
  LONGS_EQUAL(30000, auth_retry_bound_ms(options, 0));
  LONGS_EQUAL(60000, auth_retry_bound_ms(options, 1));
  LONGS_EQUAL(480000, auth_retry_bound_ms(options, 4));
  LONGS_EQUAL(600000, auth_retry_bound_ms(options, 5));
  LONGS_EQUAL(600000, auth_retry_bound_ms(options, 1000));
}

TEST(Backoff, RefusalDelayLiesBetweenHalfTheBoundAndTheBound) {
  BackoffOptions options;
  LONGS_EQUAL(15000, auth_retry_delay_ms(options, 0, 0.0));
  LONGS_EQUAL(22500, auth_retry_delay_ms(options, 0, 0.5));
  CHECK(auth_retry_delay_ms(options, 0, 1.0) < 30000);
  LONGS_EQUAL(15000, auth_retry_delay_ms(options, 0, -1.0));
}
