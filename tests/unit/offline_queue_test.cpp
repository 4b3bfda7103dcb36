#include <string>
#include <vector>

#include "offline_queue.hpp"

#include <CppUTest/TestHarness.h>

using docklink::OfflineQueueLimits;
using docklink::detail::OfflineQueue;
using docklink::detail::Uplink;
using docklink::detail::UplinkClass;

namespace {

Uplink make(std::uint64_t seq, UplinkClass cls, std::string payload = "x", std::string key = {}) {
  Uplink uplink;
  uplink.seq = seq;
  uplink.cls = cls;
  uplink.payload = std::move(payload);
  uplink.coalesce_key = std::move(key);
  uplink.created_ms = static_cast<std::int64_t>(seq);
  return uplink;
}

}  // namespace

TEST_GROUP(OfflineQueue) { std::vector<Uplink> dropped; };

TEST(OfflineQueue, DrainsRepliesBeforeEventsBeforeRequestsInCreationOrder) {
  OfflineQueue queue(OfflineQueueLimits{});
  queue.push(make(1, UplinkClass::kRequest), dropped);
  queue.push(make(2, UplinkClass::kEvent), dropped);
  queue.push(make(3, UplinkClass::kReply), dropped);
  queue.push(make(4, UplinkClass::kEvent), dropped);
  auto all = queue.take_all();
  LONGS_EQUAL(4, all.size());
  LONGS_EQUAL(3, all[0].seq);
  LONGS_EQUAL(2, all[1].seq);
  LONGS_EQUAL(4, all[2].seq);
  LONGS_EQUAL(1, all[3].seq);
  LONGS_EQUAL(0, queue.size());
  LONGS_EQUAL(0, queue.bytes());
}

TEST(OfflineQueue, CoalescesOsdToLatestSnapshotPerKey) {
  OfflineQueue queue(OfflineQueueLimits{});
  LONGS_EQUAL(0, queue.push(make(1, UplinkClass::kOsd, "old", "osd/A"), dropped));
  LONGS_EQUAL(0, queue.push(make(2, UplinkClass::kOsd, "other", "osd/B"), dropped));
  LONGS_EQUAL(1, queue.push(make(3, UplinkClass::kOsd, "new", "osd/A"), dropped));
  auto all = queue.take_all();
  LONGS_EQUAL(2, all.size());
  STRCMP_EQUAL("other", all[0].payload.c_str());
  STRCMP_EQUAL("new", all[1].payload.c_str());
  CHECK_TRUE(dropped.empty());
}

TEST(OfflineQueue, CountLimitDropsOldestOfLowestPriority) {
  OfflineQueueLimits limits;
  limits.max_messages = 3;
  OfflineQueue queue(limits);
  queue.push(make(1, UplinkClass::kEvent), dropped);
  queue.push(make(2, UplinkClass::kRequest), dropped);
  queue.push(make(3, UplinkClass::kRequest), dropped);
  queue.push(make(4, UplinkClass::kReply), dropped);
  LONGS_EQUAL(1, dropped.size());
  LONGS_EQUAL(2, dropped[0].seq);  // oldest request goes; the event and reply stay
  LONGS_EQUAL(3, queue.size());
}

TEST(OfflineQueue, ByteLimitCanDropTheNewMessageItself) {
  OfflineQueueLimits limits;
  limits.max_bytes = 10;
  OfflineQueue queue(limits);
  queue.push(make(1, UplinkClass::kReply, "12345678"), dropped);
  queue.push(make(2, UplinkClass::kRequest, "12345"), dropped);
  LONGS_EQUAL(1, dropped.size());
  LONGS_EQUAL(2, dropped[0].seq);
  LONGS_EQUAL(8, queue.bytes());
}

TEST(OfflineQueue, ExpireDropsOnlyTooOldMessages) {
  OfflineQueueLimits limits;
  limits.max_age_ms = 10;
  OfflineQueue queue(limits);
  queue.push(make(1, UplinkClass::kEvent), dropped);
  queue.push(make(20, UplinkClass::kEvent), dropped);
  queue.expire(25, dropped);
  LONGS_EQUAL(1, dropped.size());
  LONGS_EQUAL(1, dropped[0].seq);
  LONGS_EQUAL(1, queue.size());
}

// A message stored before start() and restored again was queued twice: the second emplace failed but its bytes
// were still added, so the byte count drifted upwards for good.
TEST(OfflineQueue, TheSameSeqTwiceIsHeldOnceAndCountedOnce) {
  OfflineQueue queue(OfflineQueueLimits{});
  queue.push(make(1, UplinkClass::kEvent, "12345"), dropped);
  queue.push(make(1, UplinkClass::kEvent, "12345"), dropped);
  LONGS_EQUAL(1, queue.size());
  LONGS_EQUAL(5, queue.bytes());
  queue.take_all();
  LONGS_EQUAL(0, queue.bytes());
}

TEST(OfflineQueue, ReplacedMessagesAreHandedBack) {
  OfflineQueue queue(OfflineQueueLimits{});
  std::vector<Uplink> replaced;
  queue.push(make(1, UplinkClass::kEvent, "10%", "job:b1"), dropped, &replaced);
  queue.push(make(2, UplinkClass::kEvent, "done"), dropped, &replaced);
  LONGS_EQUAL(1, queue.push(make(3, UplinkClass::kEvent, "20%", "job:b1"), dropped, &replaced));
  LONGS_EQUAL(1, replaced.size());
  LONGS_EQUAL(1, replaced[0].seq);
  LONGS_EQUAL(2, queue.size());
  LONGS_EQUAL(7, queue.bytes());
}
