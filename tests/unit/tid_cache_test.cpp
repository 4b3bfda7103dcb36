#include <string>

#include "tid_cache.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::TidCache;

TEST_GROUP(TidCache){};

TEST(TidCache, NewThenInProgressThenAnswered) {
  TidCache cache(8, 1000);
  std::string reply;
  CHECK(cache.lookup("t1", 0, &reply) == TidCache::Seen::kNew);
  cache.begin("t1", 0);
  CHECK(cache.lookup("t1", 10, &reply) == TidCache::Seen::kInProgress);
  cache.complete("t1", "payload");
  CHECK(cache.lookup("t1", 20, &reply) == TidCache::Seen::kAnswered);
  STRCMP_EQUAL("payload", reply.c_str());
}

TEST(TidCache, ForgetsAfterTheWindow) {
  TidCache cache(8, 1000);
  cache.begin("t1", 0);
  cache.complete("t1", "payload");
  CHECK(cache.lookup("t1", 1001, nullptr) == TidCache::Seen::kNew);
}

TEST(TidCache, EvictsOldestBeyondCapacity) {
  TidCache cache(2, 100000);
  cache.begin("a", 0);
  cache.begin("b", 1);
  cache.begin("c", 2);
  CHECK(cache.lookup("a", 3, nullptr) == TidCache::Seen::kNew);
  CHECK(cache.lookup("c", 3, nullptr) == TidCache::Seen::kInProgress);
}
