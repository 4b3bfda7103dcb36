#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "client_fixture.hpp"
#include "docklink/config_defaults.hpp"
#include "docklink/result_codes.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::tid_is;

TEST_GROUP(ClientServices) {
  std::unique_ptr<ClientRig> rig;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    rig->client->on_service("debug_mode_open", [](ServiceCall&) { return ServiceReply::ok(); });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen reply_to(const std::string& tid) { return rig->cloud.wait_for("/services_reply", tid_is(tid)); }
};

TEST(ClientServices, ReplyEchoesTidBidAndMethodWithResult) {
  std::string tid = rig->cloud.call_service(kDockSn, "debug_mode_open", "{}");
  Seen reply = reply_to(tid);
  STRCMP_EQUAL("bid-" + tid == reply.str("bid") ? reply.str("bid").c_str() : "", reply.str("bid").c_str());
  STRCMP_EQUAL("debug_mode_open", reply.str("method").c_str());
  LONGS_EQUAL(0, reply.result());
}

TEST(ClientServices, EmptyStringAndNullDataAreAccepted) {
  std::string seen_type;
  rig->client->on_service("cover_open", [&](ServiceCall& call) {
    seen_type = call.data().IsObject() && call.data().MemberCount() == 0 ? "empty-object" : "other";
    return ServiceReply::ok();
  });
  LONGS_EQUAL(0, reply_to(rig->cloud.call_service(kDockSn, "cover_open", "\"\"")).result());
  STRCMP_EQUAL("empty-object", seen_type.c_str());
  LONGS_EQUAL(0, reply_to(rig->cloud.call_service(kDockSn, "cover_open", "null")).result());
}

TEST(ClientServices, UnknownMethodGetsAnErrorReplyNotSilence) {
  Seen reply = reply_to(rig->cloud.call_service(kDockSn, "no_such_method", "{}"));
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK_TRUE(docklink::test::eventually([&] { return rig->client->counters().unknown_methods == 1; }));
}

TEST(ClientServices, DuplicateTidIsAnsweredFromCacheWithoutRunningTwice) {
  std::atomic<int> runs{0};
  rig->client->on_service("cover_close", [&](ServiceCall&) {
    ++runs;
    return ServiceReply::ok();
  });
  rig->cloud.call_service(kDockSn, "cover_close", "{}", "same-tid");
  reply_to("same-tid");
  rig->cloud.call_service(kDockSn, "cover_close", "{}", "same-tid");
  CHECK_TRUE(rig->cloud.wait_count("/services_reply", 2, tid_is("same-tid")));
  LONGS_EQUAL(1, runs.load());
  LONGS_EQUAL(1, rig->client->counters().duplicates);
}

TEST(ClientServices, MalformedJsonWithRecoverableTidGets325001) {
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services",
                     R"({"tid":"bad-1","bid":"b","method":"debug_mode_open","data":{"x":)");
  Seen reply = rig->cloud.wait_for("/services_reply", tid_is("bad-1"));
  // A truncated document may or may not let the decoder recover the tid; when it does, the reply says why.
  if (!reply.topic.empty()) LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK(rig->client->counters().malformed >= 1);
}

TEST(ClientServices, WrongTypeDataGets325001) {
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services",
                     R"({"tid":"bad-2","bid":"b","timestamp":1,"method":"debug_mode_open","data":42})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("bad-2").result());
}

TEST(ClientServices, DeepNestingGets325001AndNoCrash) {
  std::string deep = std::string(200, '[') + std::string(200, ']');
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services",
                     R"({"tid":"deep","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"a":)" + deep + "}}");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("deep").result());
}

TEST(ClientServices, OversizePayloadIsCountedAndAnswered) {
  std::string big(300 * 1024, 'x');
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services",
                     R"({"tid":"big","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"a":")" + big + "\"}}");
  Seen reply = reply_to("big");
  if (!reply.topic.empty()) LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK(rig->client->counters().malformed >= 1);
}

TEST(ClientServices, MessageWithoutTidIsCountedNotAnswered) {
  std::size_t before = rig->cloud.count("/services_reply");
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services", R"({"method":"debug_mode_open"})");
  // A later, valid call is answered: by then the bad one was processed (per-client order).
  reply_to(rig->cloud.call_service(kDockSn, "debug_mode_open", "{}"));
  LONGS_EQUAL(before + 1, rig->cloud.count("/services_reply"));
  CHECK(rig->client->counters().malformed >= 1);
}

TEST(ClientServices, ThrowingHandlerIsAnsweredWithCommandFailed) {
  rig->client->on_service("device_reboot", [](ServiceCall&) -> ServiceReply { throw std::runtime_error("boom"); });
  LONGS_EQUAL(result_code::kCommandFailed, reply_to(rig->cloud.call_service(kDockSn, "device_reboot", "{}")).result());
}

TEST(ClientServices, JobPublishesProgressWithServiceBidAndMethod) {
  Job job;
  std::mutex mutex;
  std::condition_variable cv;
  rig->client->on_service("cover_open", [&](ServiceCall& call) {
    std::lock_guard<std::mutex> lock(mutex);
    job = call.start_job();
    cv.notify_all();
    return ServiceReply::ok();
  });
  rig->cloud.set_auto_events_reply(true);
  std::string tid = rig->cloud.call_service(kDockSn, "cover_open", "{}");
  Seen reply = reply_to(tid);
  LONGS_EQUAL(0, reply.result());
  CHECK(reply.payload.find(R"("status":"in_progress")") != std::string::npos);
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return job.valid(); }));
  }
  CHECK_TRUE(job.progress(50, "open_cover").is_ok());
  CHECK_TRUE(job.finish(JobStatus::kOk).is_ok());
  CHECK_FALSE(job.progress(60, "late").is_ok());
  auto is_job_event = [&](const Seen& s) { return s.str("bid") == "bid-" + tid && s.str("method") == "cover_open"; };
  CHECK_TRUE(rig->cloud.wait_count("/events", 2, is_job_event));
  Seen last = rig->cloud.wait_for("/events", [&](const Seen& s) {
    return is_job_event(s) && s.payload.find(R"("status":"ok")") != std::string::npos;
  });
  CHECK(last.payload.find(R"("percent":100)") != std::string::npos);
  CHECK(last.payload.find(R"("need_reply":1)") != std::string::npos);
}

TEST(ClientServices, SlowHandlerDoesNotDelayAnotherDocksReply) {
  // A second dock on the same broker and the same Runtime (shared dispatcher threads).
  ports::LoopbackTransport other_transport(rig->broker, "DOCK0002");
  port::Platform platform{&rig->clock, &rig->random, &rig->log, nullptr};
  auto other = Client::create(docklink::test::dock_options("DOCK0002"), platform, other_transport, rig->runtime);
  CHECK_TRUE(other.is_ok());
  other.value()->on_service("fast", [](ServiceCall&) { return ServiceReply::ok(); });
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  rig->client->on_service("slow", [&](ServiceCall&) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
    return ServiceReply::ok();
  });
  CHECK_TRUE(other.value()->start().is_ok());
  CHECK_FALSE(rig->cloud.wait_for("DOCK0002/status").topic.empty());  // subscribed before its topology goes out
  rig->cloud.call_service(kDockSn, "slow", "{}", "slow-1");
  Seen fast = reply_to(rig->cloud.call_service("DOCK0002", "fast", "{}"));
  CHECK_FALSE(fast.topic.empty());
  LONGS_EQUAL(0, rig->cloud.count("/services_reply", tid_is("slow-1")));
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  cv.notify_all();
  CHECK_FALSE(reply_to("slow-1").topic.empty());
  other.value().reset();
}

// ---- property set rules (issue #12, items 1 and 2) ----------------------------------------------------------

namespace {

/// True when some object in `value` names a member twice.
bool has_repeated_key(const rapidjson::Value& value) {
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (has_repeated_key(element)) return true;
    }
    return false;
  }
  if (!value.IsObject()) return false;
  std::set<std::string> names;
  for (const auto& member : value.GetObject()) {
    if (!names.insert(std::string(member.name.GetString(), member.name.GetStringLength())).second) return true;
    if (has_repeated_key(member.value)) return true;
  }
  return false;
}

/// The `result` of the reply node at `path` below data, or -100 when that node or its result is missing.
int leaf_result(const Seen& reply, std::initializer_list<const char*> path) {
  if (!reply.json || !reply.json->IsObject() || !reply.json->HasMember("data")) return -100;
  const rapidjson::Value* node = &(*reply.json)["data"];
  for (const char* part : path) {
    if (!node->IsObject()) return -100;
    auto found = node->FindMember(part);
    if (found == node->MemberEnd()) return -100;
    node = &found->value;
  }
  if (!node->IsObject()) return -100;
  auto result = node->FindMember("result");
  return result != node->MemberEnd() && result->value.IsInt() ? result->value.GetInt() : -100;
}

}  // namespace

TEST_GROUP(ClientPropertySetRules) {
  std::unique_ptr<ClientRig> rig;
  std::atomic<int> height_runs{0};
  std::atomic<int> horizon_runs{0};
  void setup() override {
    rig = std::make_unique<ClientRig>();
    rig->client->on_property_set("height_limit", [this](const rapidjson::Value&) {
      ++height_runs;
      return result_code::kSuccess;
    });
    rig->client->on_property_set("obstacle_avoidance.horizon", [this](const rapidjson::Value&) {
      ++horizon_runs;
      return result_code::kSuccess;
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen set(const std::string& tid, const std::string& data) {
    rig->cloud.publish(std::string("thing/product/") + kDockSn + "/property/set",
                       R"({"tid":")" + tid + R"(","bid":"b","timestamp":1,"data":)" + data + "}");
    return rig->cloud.wait_for("/property/set_reply", tid_is(tid));
  }
  std::size_t log_lines_with(const std::string& needle) {
    std::size_t count = 0;
    for (const auto& line : rig->log.lines())
      if (line.find(needle) != std::string::npos) ++count;
    return count;
  }
};

TEST(ClientPropertySetRules, KeyWithDottedSuffixOfAnotherGetsItsOwnErrorAndNoRepeatedKey) {
  Seen reply = set("dot-1", R"({"height_limit":100,"height_limit.result":1,"height_limit.result.x":2})");
  CHECK_FALSE(reply.topic.empty());
  CHECK_FALSE(has_repeated_key(*reply.json));
  LONGS_EQUAL(0, leaf_result(reply, {"height_limit"}));
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"height_limit.result"}));
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"height_limit.result.x"}));
  LONGS_EQUAL(1, height_runs.load());
}

TEST(ClientPropertySetRules, DottedKeyNeverReachesTheSetterOfTheNestedPath) {
  Seen reply = set("dot-2", R"({"obstacle_avoidance.horizon":1,"obstacle_avoidance":{"horizon":0}})");
  CHECK_FALSE(has_repeated_key(*reply.json));
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"obstacle_avoidance.horizon"}));
  LONGS_EQUAL(0, leaf_result(reply, {"obstacle_avoidance", "horizon"}));
  LONGS_EQUAL(1, horizon_runs.load());
}

TEST(ClientPropertySetRules, NestedMemberNamedResultStaysUnderItsParent) {
  Seen reply = set("dot-3", R"({"obstacle_avoidance":{"horizon":1,"result":5}})");
  CHECK_FALSE(has_repeated_key(*reply.json));
  LONGS_EQUAL(0, leaf_result(reply, {"obstacle_avoidance", "horizon"}));
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"obstacle_avoidance", "result"}));
}

TEST(ClientPropertySetRules, SetOverTheLeafLimitIsRefusedWholeAndNothingApplied) {
  std::string data = R"({"height_limit":100)";
  for (std::size_t i = 0; i < defaults::kMaxPropertySetLeaves; ++i) data += ",\"p" + std::to_string(i) + "\":1";
  data += "}";
  Seen reply = set("many-1", data);
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  LONGS_EQUAL(0, height_runs.load());
}

TEST(ClientPropertySetRules, SetAtTheLeafLimitIsApplied) {
  std::string data = R"({"height_limit":100)";
  for (std::size_t i = 1; i < defaults::kMaxPropertySetLeaves; ++i) data += ",\"p" + std::to_string(i) + "\":1";
  data += "}";
  Seen reply = set("many-2", data);
  LONGS_EQUAL(0, leaf_result(reply, {"height_limit"}));
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"p1"}));
  LONGS_EQUAL(1, height_runs.load());
}

TEST(ClientPropertySetRules, HugeSetIsRefusedWithOneLogLine) {
  // About 30,000 keys in a 256 KiB payload: refused as a whole, logged once (not once per key).
  std::string data = R"({"height_limit":100)";
  for (int i = 0; data.size() < 250 * 1024; ++i) data += ",\"k" + std::to_string(i) + "\":1";
  data += "}";
  Seen reply = set("huge-1", data);
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  LONGS_EQUAL(0, height_runs.load());
  CHECK(log_lines_with("huge-1") <= 1);
  CHECK(log_lines_with("rejected property k") == 0);
}

TEST(ClientPropertySetRules, RejectedLeavesAreLoggedInOneSummaryLine) {
  set("log-1", R"({"height_limit":100,"a":1,"b":2,"c":3})");
  LONGS_EQUAL(1u, log_lines_with("log-1"));
  LONGS_EQUAL(0u, log_lines_with("rejected property a"));
}

TEST(ClientPropertySetRules, RepeatedKeyIsRefusedWholeAndNoSetterRuns) {
  Seen reply = set("rep-1", R"({"height_limit":1,"height_limit":2})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK_FALSE(has_repeated_key(*reply.json));
  Seen nested = set("rep-2", R"({"height_limit":1,"obstacle_avoidance":{"horizon":1,"horizon":0}})");
  LONGS_EQUAL(result_code::kInvalidParameter, nested.result());
  LONGS_EQUAL(0, height_runs.load());
  LONGS_EQUAL(0, horizon_runs.load());
}

TEST(ClientPropertySetRules, NonFiniteNumberGetsAPerLeafErrorAndOthersStillApply) {
  Seen reply = set("inf-1", R"({"height_limit":9e308,"obstacle_avoidance":{"horizon":1}})");  // +inf once parsed
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"height_limit"}));
  LONGS_EQUAL(0, leaf_result(reply, {"obstacle_avoidance", "horizon"}));
  LONGS_EQUAL(0, height_runs.load());
  LONGS_EQUAL(1, horizon_runs.load());
}

TEST(ClientPropertySetRules, SetWithoutTidAppliesNothing) {
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/property/set",
                     R"({"bid":"b","timestamp":1,"data":{"height_limit":100}})");
  set("after-1", R"({"obstacle_avoidance":{"horizon":1}})");  // answered after the first was handled
  LONGS_EQUAL(0, height_runs.load());
  LONGS_EQUAL(1u, rig->cloud.count("/property/set_reply"));
}

// ---- envelope rules and limits of services (issue #12, items 3, 4 and 6) ------------------------------------

TEST_GROUP(ClientServiceRules) {
  std::unique_ptr<ClientRig> rig;
  std::atomic<int> runs{0};
  void setup() override {
    rig = std::make_unique<ClientRig>();
    auto count = [this](ServiceCall&) {
      ++runs;
      return ServiceReply::ok();
    };
    rig->client->on_service("debug_mode_open", count);
    rig->client->on_service("cover_close", count);
    rig->client->on_service("", count);  // even a handler for "" must not make an empty method acceptable
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  void send(const std::string& payload) {
    rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services", payload);
  }
  Seen reply_to(const std::string& tid) { return rig->cloud.wait_for("/services_reply", tid_is(tid)); }
};

TEST(ClientServiceRules, ServiceWithoutBidIsRefused) {
  send(R"({"tid":"nobid-1","timestamp":1,"method":"debug_mode_open","data":{}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("nobid-1").result());
  send(R"({"tid":"nobid-2","bid":null,"timestamp":1,"method":"debug_mode_open","data":{}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("nobid-2").result());
  LONGS_EQUAL(0, runs.load());
}

TEST(ClientServiceRules, EmptyMethodIsAnsweredEchoingIt) {
  send(R"({"tid":"empty-m","bid":"b","timestamp":1,"method":"","data":{}})");
  Seen reply = reply_to("empty-m");
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK_TRUE(reply.json->HasMember("method"));
  STRCMP_EQUAL("", reply.str("method").c_str());
  LONGS_EQUAL(0, runs.load());
}

TEST(ClientServiceRules, RepeatedKeyInDataIsRefused) {
  send(R"({"tid":"rep-s","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"a":1,"a":2}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("rep-s").result());
  send(R"({"tid":"rep-n","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"x":[{"a":1,"a":1}]}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("rep-n").result());
  LONGS_EQUAL(0, runs.load());
}

TEST(ClientServiceRules, CachedReplyOnlyForTheSameTidAndMethod) {
  rig->cloud.call_service(kDockSn, "cover_close", "{}", "shared-tid");
  reply_to("shared-tid");
  rig->cloud.call_service(kDockSn, "debug_mode_open", "{}", "shared-tid");
  CHECK_TRUE(rig->cloud.wait_count("/services_reply", 1, [](const Seen& s) {
    return s.str("tid") == "shared-tid" && s.str("method") == "debug_mode_open";
  }));
  LONGS_EQUAL(2, runs.load());
}

TEST(ClientServiceRules, OverLongBidIsRefusedWithoutEchoingIt) {
  const std::string bid(defaults::kMaxIdLength + 1, 'b');
  send(R"({"tid":"long-bid","bid":")" + bid + R"(","timestamp":1,"method":"debug_mode_open","data":{}})");
  Seen reply = reply_to("long-bid");
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK(reply.payload.find(bid) == std::string::npos);
  LONGS_EQUAL(0, runs.load());
}

TEST(ClientServiceRules, OverLongMethodIsRefusedWithoutEchoingIt) {
  const std::string method(defaults::kMaxMethodLength + 1, 'm');
  send(R"({"tid":"long-m","bid":"b","timestamp":1,"method":")" + method + R"(","data":{}})");
  Seen reply = reply_to("long-m");
  LONGS_EQUAL(result_code::kInvalidParameter, reply.result());
  CHECK(reply.payload.find(method) == std::string::npos);
}

TEST(ClientServiceRules, OverLongTidIsCountedAndNeverEchoedOrLogged) {
  const std::string tid(defaults::kMaxIdLength + 1, 't');
  send(R"({"tid":")" + tid + R"(","bid":"b","timestamp":1,"method":"debug_mode_open","data":{}})");
  reply_to(rig->cloud.call_service(kDockSn, "cover_close", "{}"));  // handled after the first
  LONGS_EQUAL(
      0u, rig->cloud.count("/services_reply", [&](const Seen& s) { return s.payload.find(tid) != std::string::npos; }));
  CHECK_FALSE(rig->log.contains(tid));
  CHECK(rig->client->counters().malformed >= 1);
  LONGS_EQUAL(1, runs.load());
}

TEST(ClientServiceRules, IdsAtTheLimitAreAccepted) {
  const std::string tid(defaults::kMaxIdLength, 't');
  const std::string bid(defaults::kMaxIdLength, 'b');
  send(R"({"tid":")" + tid + R"(","bid":")" + bid + R"(","timestamp":1,"method":"debug_mode_open","data":{}})");
  Seen reply = reply_to(tid);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL(bid.c_str(), reply.str("bid").c_str());
}

TEST(ClientPropertySetRules, NumberTooBigForADoubleGetsAPerLeafError) {
  Seen reply = set("inf-2", R"({"height_limit":1e309,"obstacle_avoidance":{"horizon":1}})");
  LONGS_EQUAL(result_code::kInvalidParameter, leaf_result(reply, {"height_limit"}));
  LONGS_EQUAL(0, leaf_result(reply, {"obstacle_avoidance", "horizon"}));
  LONGS_EQUAL(0, height_runs.load());
  LONGS_EQUAL(1, horizon_runs.load());
}

TEST(ClientServiceRules, NonFiniteNumberInDataIsRefused) {
  send(R"({"tid":"inf-s","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"a":1e309}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("inf-s").result());
  send(R"({"tid":"inf-t","bid":"b","timestamp":1,"method":"debug_mode_open","data":{"a":[9e308]}})");
  LONGS_EQUAL(result_code::kInvalidParameter, reply_to("inf-t").result());
  LONGS_EQUAL(0, runs.load());
}
