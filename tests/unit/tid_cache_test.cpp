#include <string>

#include "tid_cache.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::TidCache;

TEST_GROUP(TidCache){};

TEST(TidCache, NewThenInProgressThenAnswered) {
  TidCache cache(8, 1000);
  std::string reply;
  CHECK(cache.lookup("t1", "m", 0, &reply) == TidCache::Seen::kNew);
  cache.begin("t1", "m", 0);
  CHECK(cache.lookup("t1", "m", 10, &reply) == TidCache::Seen::kInProgress);
  cache.complete("t1", "m", "payload");
  CHECK(cache.lookup("t1", "m", 20, &reply) == TidCache::Seen::kAnswered);
  STRCMP_EQUAL("payload", reply.c_str());
}

TEST(TidCache, ForgetsAfterTheWindow) {
  TidCache cache(8, 1000);
  cache.begin("t1", "m", 0);
  cache.complete("t1", "m", "payload");
  CHECK(cache.lookup("t1", "m", 1001, nullptr) == TidCache::Seen::kNew);
}

TEST(TidCache, EvictsOldestBeyondCapacity) {
  TidCache cache(2, 100000);
  cache.begin("a", "m", 0);
  cache.begin("b", "m", 1);
  cache.begin("c", "m", 2);
  CHECK(cache.lookup("a", "m", 3, nullptr) == TidCache::Seen::kNew);
  CHECK(cache.lookup("c", "m", 3, nullptr) == TidCache::Seen::kInProgress);
}

TEST(TidCache, SameTidWithAnotherMethodIsNew) {
  TidCache cache(8, 1000);
  std::string reply;
  cache.begin("t1", "cover_open", 0);
  cache.complete("t1", "cover_open", "open-reply");
  CHECK(cache.lookup("t1", "cover_close", 1, &reply) == TidCache::Seen::kNew);
  cache.begin("t1", "cover_close", 1);
  cache.complete("t1", "cover_close", "close-reply");
  CHECK(cache.lookup("t1", "cover_open", 2, &reply) == TidCache::Seen::kAnswered);
  STRCMP_EQUAL("open-reply", reply.c_str());
  // The key cannot be forged by moving characters between tid and method.
  CHECK(cache.lookup("t1c", "over_open", 2, &reply) == TidCache::Seen::kNew);
}
