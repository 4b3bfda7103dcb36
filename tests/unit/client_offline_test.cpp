#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <thread>

#include "client_fixture.hpp"
#include "docklink/ports/memory_store.hpp"
#include "uplink_record.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

/// Waits for the client's connection callbacks.
struct ConnectionWatch {
  std::mutex mutex;
  std::condition_variable cv;
  int ups = 0;
  int downs = 0;
  void attach(Client& client) {
    client.on_connection_changed([this](bool up, const Status&) {
      std::lock_guard<std::mutex> lock(mutex);
      (up ? ups : downs) += 1;
      cv.notify_all();
    });
  }
  bool wait_ups(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return ups >= n; });
  }
  bool wait_downs(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return downs >= n; });
  }
};

/// Collects the statuses reply callbacks receive.
struct ReplyLog {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::pair<std::string, Status>> replies;
  ReplyCallback on(std::string name) {
    return [this, name](const Reply& reply) {
      std::lock_guard<std::mutex> lock(mutex);
      replies.emplace_back(name, reply.status);
      cv.notify_all();
    };
  }
  bool wait(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return replies.size() >= n; });
  }
};

/// A stored record as an earlier run of this gateway would have left it.
std::string stored_event(std::uint64_t seq, const std::string& method, const std::string& sn,
                         std::int64_t created_wall_ms) {
  docklink::detail::Uplink uplink;
  uplink.seq = seq;
  uplink.cls = docklink::detail::UplinkClass::kEvent;
  uplink.kind = TopicKind::kEvents;
  uplink.topic = topic(TopicKind::kEvents, sn);
  uplink.method = method;
  uplink.payload =
      R"({"tid":"t)" + std::to_string(seq) + R"(","bid":"b","timestamp":1,"method":")" + method + R"(","data":{}})";
  uplink.created_wall_ms = created_wall_ms;
  return docklink::detail::encode_uplink_record(uplink);
}

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_GROUP(ClientOffline) {
  std::unique_ptr<ClientRig> rig;
  ConnectionWatch watch;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    watch.attach(*rig->client);
  }
  void teardown() override { rig.reset(); }
  void go_offline() {
    rig->broker.set_refuse_connections(true, StatusCode::kIo);
    rig->broker.drop_connection(kDockSn);
    CHECK_TRUE(watch.wait_downs(1));
  }
  void come_back(int ups) {
    rig->broker.set_refuse_connections(false);
    CHECK_TRUE(watch.wait_ups(ups));
  }
};

TEST(ClientOffline, ReconnectsResubscribesAndResendsTopology) {
  CHECK_TRUE(rig->start_and_wait_topology());
  CHECK_TRUE(watch.wait_ups(1));
  std::size_t subscribes = rig->broker.stats(kDockSn).subscribes;
  go_offline();
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/status", 2));
  CHECK(rig->broker.stats(kDockSn).subscribes >= 2 * subscribes);
  // Subscriptions work again without the app doing anything: a service is answered.
  rig->client->on_service("debug_mode_open", [](ServiceCall&) { return ServiceReply::ok(); });
  std::string tid = rig->cloud.call_service(kDockSn, "debug_mode_open", "{}");
  CHECK_FALSE(rig->cloud.wait_for("/services_reply", [&](const Seen& s) { return s.str("tid") == tid; }).topic.empty());
  LONGS_EQUAL(1, rig->client->counters().disconnects);
}

TEST(ClientOffline, EventsQueuedWhileOfflineAreDeliveredInOrderAndAcknowledged) {
  rig->cloud.set_auto_events_reply(true);
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  std::mutex mutex;
  std::condition_variable cv;
  int acked = 0;
  for (int i = 0; i < 5; ++i) {
    EventOptions options;
    options.need_reply = i % 2 == 0;
    Status queued = rig->client->publish_event("e" + std::to_string(i), "{}", options, [&](const Reply& reply) {
      std::lock_guard<std::mutex> lock(mutex);
      if (reply.status.is_ok()) ++acked;
      cv.notify_all();
    });
    CHECK_TRUE(queued.is_ok());
  }
  LONGS_EQUAL(0, rig->cloud.count("/events"));
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/events", 5));
  std::unique_lock<std::mutex> lock(mutex);
  CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return acked == 5; }));
  std::vector<std::string> methods = rig->cloud.methods("/events");
  LONGS_EQUAL(5, methods.size());
  for (int i = 0; i < 5; ++i)
    STRCMP_EQUAL(("e" + std::to_string(i)).c_str(), methods[static_cast<std::size_t>(i)].c_str());
}

TEST(ClientOffline, OsdIsCoalescedToTheLatestSnapshotWhileOffline) {
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  for (int i = 0; i < 10; ++i)
    CHECK_TRUE(rig->client->publish_osd(kDockSn, R"({"n":)" + std::to_string(i) + "}").is_ok());
  come_back(2);
  Seen osd = rig->cloud.wait_for("/osd");
  CHECK_FALSE(osd.topic.empty());
  LONGS_EQUAL(9, (*osd.json)["data"]["n"].GetInt());
  LONGS_EQUAL(1, rig->cloud.count("/osd"));
  LONGS_EQUAL(9, rig->client->counters().osd_coalesced);
}

TEST(ClientOffline, QueueLimitDropsTheOldestLowPriorityMessageAndTellsTheApp) {
  ClientOptions options = docklink::test::dock_options();
  options.offline_queue.max_messages = 3;
  rig = std::make_unique<ClientRig>(options);
  watch.attach(*rig->client);
  std::vector<std::string> dropped;
  std::mutex mutex;
  std::condition_variable cv;
  rig->client->on_dropped([&](const DroppedMessage& message) {
    std::lock_guard<std::mutex> lock(mutex);
    dropped.push_back(message.method);
    cv.notify_all();
  });
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  for (int i = 0; i < 5; ++i) CHECK_TRUE(rig->client->publish_event("e" + std::to_string(i), "{}").is_ok());
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return dropped.size() >= 2; }));
    std::string names;
    for (const auto& name : dropped) names += name + " ";
    LONGS_EQUAL_TEXT(2, dropped.size(), names.c_str());
    STRCMP_EQUAL("e0", dropped[0].c_str());
    STRCMP_EQUAL("e1", dropped[1].c_str());
  }
  LONGS_EQUAL(2, rig->client->counters().offline_dropped);
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/events", 3));
  std::vector<std::string> methods = rig->cloud.methods("/events");
  STRCMP_EQUAL("e2", methods.front().c_str());
}

TEST(ClientOffline, DurableQueueSurvivesARestart) {
  ports::MemoryStore store;
  {
    ClientRig first(docklink::test::dock_options(), &store);
    ConnectionWatch first_watch;
    first_watch.attach(*first.client);
    first.broker.set_refuse_connections(true, StatusCode::kIo);
    CHECK_TRUE(first.client->start().is_ok());
    EventOptions options;
    options.need_reply = true;
    CHECK_TRUE(first.client->publish_event("kept_event", "{}", options).is_ok());
    CHECK_TRUE(first.client->publish_event("kept_plain", "{}").is_ok());
    CHECK_TRUE(first_watch.wait_downs(1) || true);
  }  // the process "dies" with both events unsent
  ClientRig second(docklink::test::dock_options(), &store);
  second.cloud.set_auto_events_reply(true);
  CHECK_TRUE(second.start_and_wait_topology());
  CHECK_TRUE(second.cloud.wait_count("/events", 2));
  std::vector<std::string> methods = second.cloud.methods("/events");
  STRCMP_EQUAL("kept_event", methods[0].c_str());
  STRCMP_EQUAL("kept_plain", methods[1].c_str());
  // Once acknowledged they leave the store.
  for (int i = 0; i < 200 && !store.keys("dlq.").value().empty(); ++i) {
    second.cloud.wait_for("/never", {}, std::chrono::milliseconds(10));
  }
  CHECK_TRUE(store.keys("dlq.").value().empty());
}

TEST(ClientOffline, RefusedConnectIsRetriedWithBackoff) {
  rig->broker.set_refuse_connections(true, StatusCode::kAuth);
  CHECK_TRUE(rig->client->start().is_ok());
  CHECK_TRUE(watch.wait_downs(2));  // failed attempts are reported, and retried
  rig->broker.set_refuse_connections(false);
  CHECK_TRUE(watch.wait_ups(1));
  CHECK(rig->broker.stats(kDockSn).connect_attempts >= 3);
}

// Events awaiting events_reply were kept outside the offline queue: unbounded while offline.
TEST(ClientOffline, EventsAwaitingAReplyAreBoundedByTheQueueLimits) {
  ClientOptions options = docklink::test::dock_options();
  options.offline_queue.max_messages = 3;
  rig = std::make_unique<ClientRig>(options);
  watch.attach(*rig->client);
  rig->cloud.set_auto_events_reply(true);
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  ReplyLog log;
  EventOptions need_reply;
  need_reply.need_reply = true;
  for (int i = 0; i < 5; ++i) {
    std::string name = "e" + std::to_string(i);
    CHECK_TRUE(rig->client->publish_event(name, "{}", need_reply, log.on(name)).is_ok());
  }
  CHECK_TRUE(log.wait(2));  // the two oldest are given up at once
  {
    std::lock_guard<std::mutex> lock(log.mutex);
    STRCMP_EQUAL("e0", log.replies[0].first.c_str());
    STRCMP_EQUAL("e1", log.replies[1].first.c_str());
    CHECK_TRUE(log.replies[0].second.code() == StatusCode::kBusy);
  }
  LONGS_EQUAL(2, rig->client->counters().offline_dropped);
  come_back(2);
  CHECK_TRUE(log.wait(5));
  for (std::size_t i = 2; i < 5; ++i) CHECK_TRUE(log.replies[i].second.is_ok());
  std::vector<std::string> methods = rig->cloud.methods("/events");
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());  // a slow reply may cause a resend
  LONGS_EQUAL(3, methods.size());
  STRCMP_EQUAL("e2", methods[0].c_str());
}

// Events awaiting events_reply were exempt from the age limit.
TEST(ClientOffline, EventsAwaitingAReplyObeyTheAgeLimit) {
  ClientOptions options = docklink::test::dock_options();
  options.offline_queue.max_age_ms = 1;
  rig = std::make_unique<ClientRig>(options);
  watch.attach(*rig->client);
  rig->cloud.set_auto_events_reply(true);
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  ReplyLog log;
  EventOptions need_reply;
  need_reply.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("stale", "{}", need_reply, log.on("stale")).is_ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the message ages; nothing is awaited here
  come_back(2);
  CHECK_TRUE(log.wait(1));
  CHECK_FALSE(log.replies[0].second.is_ok());
  LONGS_EQUAL(0, rig->cloud.methods("/events").size());
  LONGS_EQUAL(1, rig->client->counters().offline_dropped);
}

// Every progress event of every job piled up offline; the cloud needs each job's latest and its end.
TEST(ClientOffline, JobProgressIsCoalescedPerJobWhileOffline) {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<Job> jobs;
  rig->client->on_service("cover_open", [&](ServiceCall& call) {
    std::lock_guard<std::mutex> lock(mutex);
    jobs.push_back(call.start_job());
    cv.notify_all();
    return ServiceReply::ok();
  });
  rig->cloud.set_auto_events_reply(true);
  CHECK_TRUE(rig->start_and_wait_topology());
  std::string tid_a = rig->cloud.call_service(kDockSn, "cover_open", "{}");
  std::string tid_b = rig->cloud.call_service(kDockSn, "cover_open", "{}");
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return jobs.size() == 2; }));
  }
  go_offline();
  Job& a = jobs[0].bid() == "bid-" + tid_a ? jobs[0] : jobs[1];
  Job& b = &a == &jobs[0] ? jobs[1] : jobs[0];
  for (int percent : {10, 20, 30}) CHECK_TRUE(a.progress(percent, "step").is_ok());
  CHECK_TRUE(b.progress(50, "step").is_ok());
  CHECK_TRUE(a.progress(40, "step").is_ok());
  CHECK_TRUE(b.finish(JobStatus::kOk).is_ok());
  LONGS_EQUAL(3, rig->client->counters().job_progress_coalesced);
  come_back(2);
  auto of = [](const std::string& tid) { return [tid](const Seen& s) { return s.str("bid") == "bid-" + tid; }; };
  CHECK_TRUE(rig->cloud.wait_count("/events", 2, of(tid_b)));
  CHECK_TRUE(rig->cloud.wait_count("/events", 1, of(tid_a)));
  std::set<std::string> sent_for_a;  // by tid: a slow reply may cause a resend of the same message
  for (const auto& seen : rig->cloud.all()) {
    bool event = seen.topic.size() > 7 && seen.topic.compare(seen.topic.size() - 7, 7, "/events") == 0;
    if (event && of(tid_a)(seen)) sent_for_a.insert(seen.str("tid"));
  }
  LONGS_EQUAL(1, sent_for_a.size());
  Seen latest = rig->cloud.wait_for("/events", of(tid_a));
  CHECK(latest.payload.find(R"("percent":40)") != std::string::npos);
  CHECK_TRUE(rig->cloud
                 .wait_for("/events",
                           [&](const Seen& s) {
                             return of(tid_b)(s) && s.payload.find(R"("status":"ok")") != std::string::npos;
                           })
                 .json != nullptr);
}

// Messages published before start() took seqs from 1 and overwrote the records of the previous run.
TEST(ClientOffline, MessagesPublishedBeforeStartKeepTheStoredOnes) {
  ports::MemoryStore store;
  {
    ClientRig first(docklink::test::dock_options(), &store);
    first.broker.set_refuse_connections(true, StatusCode::kIo);
    CHECK_TRUE(first.client->start().is_ok());
    EventOptions options;
    options.need_reply = true;
    CHECK_TRUE(first.client->publish_event("kept_event", "{}", options).is_ok());
    CHECK_TRUE(first.client->publish_event("kept_plain", "{}").is_ok());
  }
  LONGS_EQUAL(2, store.size());
  ClientRig second(docklink::test::dock_options(), &store);
  second.cloud.set_auto_events_reply(true);
  CHECK_TRUE(second.client->publish_event("early", "{}").is_ok());  // before start(): must not reuse a stored seq
  LONGS_EQUAL(3, store.size());
  CHECK_TRUE(second.start_and_wait_topology());
  CHECK_TRUE(second.cloud.wait_count("/events", 3));
  CHECK_TRUE(docklink::test::eventually([&] { return store.size() == 0; }));
  std::vector<std::string> methods = second.cloud.methods("/events");
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  LONGS_EQUAL(3, methods.size());
  STRCMP_EQUAL("kept_event", methods[0].c_str());
  STRCMP_EQUAL("kept_plain", methods[1].c_str());
  STRCMP_EQUAL("early", methods[2].c_str());
}

// A record naming another gateway's topic must not be sent as ours, and one older than the age limit not at all.
TEST(ClientOffline, RestoredRecordsMustBeOursAndKeepTheirAge) {
  ports::MemoryStore store;
  const std::string prefix = docklink::detail::uplink_store_prefix(kDockSn);
  CHECK_TRUE(store.put(docklink::detail::uplink_store_key(kDockSn, 1), stored_event(1, "foreign", "OTHER", 0)).is_ok());
  CHECK_TRUE(store
                 .put(docklink::detail::uplink_store_key(kDockSn, 2),
                      stored_event(2, "stale", kDockSn, wall_now_ms() - 2 * 3600 * 1000))
                 .is_ok());
  CHECK_TRUE(
      store.put(docklink::detail::uplink_store_key(kDockSn, 3), stored_event(2, "misfiled", kDockSn, 0)).is_ok());
  CHECK_TRUE(store.put(docklink::detail::uplink_store_key(kDockSn, 4), stored_event(4, "fresh", kDockSn, wall_now_ms()))
                 .is_ok());
  ClientOptions options = docklink::test::dock_options();
  options.offline_queue.max_age_ms = 3600 * 1000;
  ClientRig rig2(options, &store);
  CHECK_TRUE(rig2.start_and_wait_topology());
  LONGS_EQUAL(2, rig2.client->counters().store_rejected);   // "foreign", and "misfiled" under another seq's key
  LONGS_EQUAL(1, rig2.client->counters().offline_dropped);  // "stale"
  CHECK_TRUE(rig2.cloud.wait_count("/events", 1));
  CHECK_TRUE(rig2.client->publish_event("marker", "{}").is_ok());
  CHECK_TRUE(rig2.cloud.wait_count("/events", 2));
  std::vector<std::string> methods = rig2.cloud.methods("/events");
  LONGS_EQUAL(2, methods.size());
  STRCMP_EQUAL("fresh", methods[0].c_str());
  CHECK_TRUE(docklink::test::eventually([&] { return store.size() == 0; }));
}
