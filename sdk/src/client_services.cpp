// Services and property set: duplicate-tid cache, validation, handler dispatch on the user strand, replies.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unordered_set>

#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"
#include "json_checks.hpp"
#include "property_set_plan.hpp"

namespace docklink::detail {

namespace {

/// Why a service breaks the envelope rules (nullptr when it does not). Checked before the duplicate cache,
/// the validator and any handler.
const char* broken_service_rule(const InboundItem& item) {
  if (!item.has_method) return "service without a method";
  if (item.method.empty()) return "service with an empty method";
  if (!item.has_bid) return "service without a string bid";
  // RapidJSON keeps both copies of a repeated name; a handler would read one and a validator maybe the other.
  if (has_repeated_member(*item.data)) return "service data names a member twice";
  // 1e309 or 9e308 read as infinity, which no handler expects and no JSON writer can send back.
  if (has_non_finite_number(*item.data)) return "service data holds a number that is not finite";
  return nullptr;
}

}  // namespace

void ClientCore::handle_service(std::shared_ptr<InboundItem> item) {
  const std::string_view tid = item->tid;
  const std::string_view method = item->method;
  if (tid.empty()) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"service without tid ignored (no reply can be matched)"});
    return;
  }
  if (const char* broken = broken_service_rule(*item)) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"refused service tid ", tid, ": ", broken});
    reply_error(*item, result_code::kInvalidParameter, broken);
    return;
  }
  if (answer_repeat(*item)) return;
  ServiceHandler handler;
  {
    Lock lock(*this);
    auto it = services_.find(std::string(method));
    if (it != services_.end()) handler = it->second;
  }
  std::int32_t verdict = validate_service_call(*item, static_cast<bool>(handler));
  if (verdict != 0) {
    answer_service(*item, ServiceReply::error(verdict), false);
    return;
  }
  run_user([this, item, handler] { run_service_handler(item, handler); });
}

bool ClientCore::answer_repeat(const InboundItem& item) {
  std::string cached;
  {
    Lock lock(*this);
    const DuplicateFilter::Seen seen = duplicates_->admit(item, now_ms(), &cached);
    if (seen == DuplicateFilter::Seen::kNew) return false;
    ++counters_.duplicates;
    if (seen == DuplicateFilter::Seen::kInProgress) return true;  // its answer is on the way
  }
  log(port::LogLevel::kInfo, {"duplicate ", to_string(item.topic_kind), " tid ", item.tid, ": answered from cache"});
  std::string answer_topic;
  profile_.answer_topic(item, options_.gateway.sn, answer_topic);
  const TopicKind kind = item.kind == InboundKind::kCommand ? TopicKind::kServicesReply : TopicKind::kPropertySetReply;
  transmit(
      make_uplink(UplinkClass::kReply, kind, std::move(answer_topic), {}, std::string(item.method), std::move(cached)));
  return true;
}

std::int32_t ClientCore::validate_service_call(const InboundItem& item, bool has_handler) {
  std::string message;
  std::int32_t verdict = 0;
  if (options_.validator != nullptr) {
    verdict = options_.validator->validate_service(item.method, *item.data, message);
  }
  if (verdict == 0 && !has_handler) {
    Lock lock(*this);
    ++counters_.unknown_methods;
    verdict = result_code::kInvalidParameter;
    message = concat({"unknown method ", item.method});
  }
  if (verdict != 0) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"rejected service ", item.method, ": ", clipped(message, 160)});
  }
  return verdict;
}

void ClientCore::answer_service(const InboundItem& item, ServiceReply reply, bool job) {
  if (job && reply.result == 0 && reply.output_json.empty()) reply.output_json = R"({"status":"in_progress"})";
  OutboundText answer;
  profile_.encode_service_reply(item, reply, uplink_fields({}, {}, {}), answer);
  {
    Lock lock(*this);
    duplicates_->answered(item, answer.payload);
    if (reply.result != 0) ++counters_.error_replies;
  }
  send_answer(TopicKind::kServicesReply, item.method, std::move(answer));
}

void ClientCore::run_service_handler(const std::shared_ptr<InboundItem>& item, const ServiceHandler& handler) {
  std::weak_ptr<ClientCore> weak = shared_from_this();
  const InboundItem& command = *item;
  std::shared_ptr<JobState> job;  // one job per call, however often the handler calls start_job()
  ServiceCall call(command.method, command.tid, command.bid, *command.data, [&job, &command, weak] {
    if (!job) {
      job = std::make_shared<JobState>();
      job->core = weak;
      job->method = std::string(command.method);
      job->bid = std::string(command.bid);
    }
    return Job(job);
  });
  ServiceReply reply;
  try {
    reply = handler(call);
  } catch (...) {
    // A throwing handler must not take the dispatcher thread down; the cloud hears that the command failed.
    log(port::LogLevel::kError, {"service handler threw: ", command.method});
    reply = ServiceReply::error(result_code::kCommandFailed);
  }
  answer_service(*item, std::move(reply), job != nullptr);
}

// ---- property set -----------------------------------------------------------------------------------------

void ClientCore::handle_property_set(std::shared_ptr<InboundItem> item) {
  const std::string_view tid = item->tid;
  if (tid.empty()) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, "property set without tid ignored, nothing applied (no reply could be matched)");
    return;
  }
  if (answer_repeat(*item)) return;
  auto setters = std::make_shared<std::vector<PropertySetter>>();
  auto plan = std::make_shared<PropertySetPlan>(plan_with_setters(*item->data, *setters));
  if (plan->refusal == 0) check_leaf_values(*plan);
  if (plan->refusal != 0) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"property set ", tid, " refused, nothing applied: ", plan->why});
    reply_error(*item, plan->refusal, plan->why);
    return;
  }
  validate_property_leaves(tid, *plan);
  run_user([this, item, plan, setters] { apply_property_set(*item, *plan, *setters); });
}

PropertySetPlan ClientCore::plan_with_setters(const rapidjson::Value& data, std::vector<PropertySetter>& setters) {
  Lock lock(*this);
  const auto& registered = *&setters_;  // the lambda below reads it under this lock (hidden from the analysis)
  // Every proper prefix of a registered key ("a" and "a.b" for "a.b.c"): the walk descends only into those.
  std::unordered_set<std::string_view> parents;
  for (const auto& entry : registered) {
    const std::string& key = entry.first;
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
      parents.insert(std::string_view(key).substr(0, dot));
    }
  }
  auto setter_at = [&](const std::string& key) {
    if (registered.count(key) != 0) return SetterAt::kHere;
    return parents.count(key) != 0 ? SetterAt::kBelow : SetterAt::kNone;
  };
  PropertySetPlan plan = plan_property_set(data, defaults::kMaxPropertySetLeaves, setter_at);
  setters.resize(plan.leaves.size());
  for (std::size_t i = 0; i < plan.leaves.size(); ++i) {
    if (plan.leaves[i].verdict == 0) setters[i] = setters_.at(plan.leaves[i].key);
  }
  return plan;
}

void ClientCore::validate_property_leaves(std::string_view tid, PropertySetPlan& plan) {
  std::size_t rejected = 0;
  const PropertySetLeaf* first = nullptr;
  for (PropertySetLeaf& leaf : plan.leaves) {
    if (leaf.verdict == 0 && options_.validator != nullptr) {
      leaf.verdict = options_.validator->validate_property(leaf.key, *leaf.value, leaf.why);
    }
    if (leaf.verdict == 0) continue;
    ++rejected;
    if (first == nullptr) first = &leaf;
  }
  if (first == nullptr) return;
  {
    Lock lock(*this);
    ++counters_.malformed;
  }
  // One line per set, however many leaves were rejected; names and reasons are clipped.
  log(port::LogLevel::kWarn,
      {"property set ", tid, ": ", std::to_string(rejected), " of ", std::to_string(plan.leaves.size()),
       " values rejected, first '", clipped(first->key), "': ", clipped(first->why, 160)});
}

void ClientCore::apply_property_set(const InboundItem& item, PropertySetPlan& plan,
                                    const std::vector<PropertySetter>& setters) {
  for (std::size_t i = 0; i < plan.leaves.size(); ++i) {
    PropertySetLeaf& leaf = plan.leaves[i];
    if (leaf.verdict != 0) continue;
    try {
      leaf.verdict = setters[i](*leaf.value);
    } catch (...) {
      leaf.verdict = result_code::kPropertyFailed;
    }
  }
  OutboundText answer;
  profile_.encode_property_set_reply(item, plan, uplink_fields({}, {}, {}), answer);
  {
    Lock lock(*this);
    duplicates_->answered(item, answer.payload);
  }
  send_answer(TopicKind::kPropertySetReply, {}, std::move(answer));
}

// ---- jobs -------------------------------------------------------------------------------------------------

Status ClientCore::publish_job_event(JobState& job, const JobProgress& progress) {
  // Job::report() already refused reports after the end and claimed the end for a terminal one.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("result");
  writer.Int(progress.result);
  writer.Key("output");
  writer.StartObject();
  if (!progress.ext_json.empty()) {
    writer.Key("ext");
    writer.RawValue(progress.ext_json.data(), progress.ext_json.size(), rapidjson::kObjectType);
  }
  writer.Key("progress");
  writer.StartObject();
  writer.Key("percent");
  writer.Int(progress.percent);
  if (!progress.step_key.empty()) {
    writer.Key("step_key");
    writer.String(progress.step_key.data(), static_cast<rapidjson::SizeType>(progress.step_key.size()));
  }
  if (progress.current_step >= 0) {
    writer.Key("current_step");
    writer.Int(progress.current_step);
  }
  writer.EndObject();
  writer.Key("status");
  writer.String(to_string(progress.status));
  writer.EndObject();
  writer.EndObject();
  return publish_job_progress(job, std::string_view(buffer.GetString(), buffer.GetSize()),
                              is_terminal(progress.status));
}

}  // namespace docklink::detail
