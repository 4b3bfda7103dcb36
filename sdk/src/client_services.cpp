// Services and property set: duplicate-tid cache, validation, handler dispatch on the user strand, replies.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unordered_set>

#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"
#include "json_checks.hpp"
#include "property_set_plan.hpp"
#include "property_set_reply.hpp"

namespace docklink::detail {

namespace {

/// Why a service breaks the envelope rules (nullptr when it does not). Checked before the duplicate cache,
/// the validator and any handler.
const char* broken_service_rule(const InboundEnvelope& envelope) {
  if (!envelope.has_method()) return "service without a method";
  if (envelope.method().empty()) return "service with an empty method";
  if (!envelope.has_bid()) return "service without a string bid";
  // RapidJSON keeps both copies of a repeated name; a handler would read one and a validator maybe the other.
  if (has_repeated_member(envelope.data())) return "service data names a member twice";
  // 1e309 or 9e308 read as infinity, which no handler expects and no JSON writer can send back.
  if (has_non_finite_number(envelope.data())) return "service data holds a number that is not finite";
  return nullptr;
}

}  // namespace

void ClientCore::handle_service(std::shared_ptr<InboundItem> item) {
  const InboundEnvelope& envelope = item->envelope;
  const std::string_view tid = envelope.tid();
  if (tid.empty()) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"service without tid ignored (no reply can be matched)"});
    return;
  }
  if (const char* broken = broken_service_rule(envelope)) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"refused service tid ", tid, ": ", broken});
    reply_error(TopicKind::kServicesReply, envelope, result_code::kInvalidParameter, broken);
    return;
  }
  std::string cached;
  ServiceHandler handler;
  {
    Lock lock(*this);
    TidCache::Seen seen = tids_.lookup(tid, envelope.method(), now_ms(), &cached);
    if (seen != TidCache::Seen::kNew) ++counters_.duplicates;
    if (seen == TidCache::Seen::kInProgress) return;  // its reply is on the way
    if (seen == TidCache::Seen::kNew) {
      tids_.begin(tid, envelope.method(), now_ms());
      auto it = services_.find(std::string(envelope.method()));
      if (it != services_.end()) handler = it->second;
    }
  }
  if (!cached.empty()) {
    log(port::LogLevel::kInfo, {"duplicate service tid ", tid, ": answered from cache"});
    transmit(make_uplink(UplinkClass::kReply, TopicKind::kServicesReply, options_.gateway.sn, {},
                         std::string(envelope.method()), std::move(cached)));
    return;
  }
  std::int32_t verdict = validate_service_call(envelope, static_cast<bool>(handler));
  if (verdict != 0) {
    answer_service(*item, ServiceReply::error(verdict), false);
    return;
  }
  run_user([this, item, handler] { run_service_handler(item, handler); });
}

std::int32_t ClientCore::validate_service_call(const InboundEnvelope& envelope, bool has_handler) {
  std::string message;
  std::int32_t verdict = 0;
  if (options_.validator != nullptr) {
    verdict = options_.validator->validate_service(envelope.method(), envelope.data(), message);
  }
  if (verdict == 0 && !has_handler) {
    Lock lock(*this);
    ++counters_.unknown_methods;
    verdict = result_code::kInvalidParameter;
    message = concat({"unknown method ", envelope.method()});
  }
  if (verdict != 0) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"rejected service ", envelope.method(), ": ", clipped(message, 160)});
  }
  return verdict;
}

void ClientCore::answer_service(const InboundItem& item, ServiceReply reply, bool job) {
  std::string data;
  if (job && reply.result == 0 && reply.output_json.empty()) reply.output_json = R"({"status":"in_progress"})";
  encode_result_data(reply.result, reply.output_json, reply.flat_json, data);
  const InboundEnvelope& env = item.envelope;
  std::string payload = build_message(env.tid(), env.bid(), env.method(), {}, -1, data);
  {
    Lock lock(*this);
    tids_.complete(env.tid(), env.method(), payload);
    if (reply.result != 0) ++counters_.error_replies;
  }
  transmit(make_uplink(UplinkClass::kReply, TopicKind::kServicesReply, options_.gateway.sn, {},
                       std::string(env.method()), std::move(payload)));
}

void ClientCore::run_service_handler(const std::shared_ptr<InboundItem>& item, const ServiceHandler& handler) {
  std::weak_ptr<ClientCore> weak = shared_from_this();
  const InboundEnvelope& env = item->envelope;
  std::shared_ptr<JobState> job;  // one job per call, however often the handler calls start_job()
  ServiceCall call(env.method(), env.tid(), env.bid(), env.data(), [&job, &env, weak] {
    if (!job) {
      job = std::make_shared<JobState>();
      job->core = weak;
      job->method = std::string(env.method());
      job->bid = std::string(env.bid());
    }
    return Job(job);
  });
  ServiceReply reply;
  try {
    reply = handler(call);
  } catch (...) {
    // A throwing handler must not take the dispatcher thread down; the cloud hears that the command failed.
    log(port::LogLevel::kError, {"service handler threw: ", env.method()});
    reply = ServiceReply::error(result_code::kCommandFailed);
  }
  answer_service(*item, std::move(reply), job != nullptr);
}

// ---- property set -----------------------------------------------------------------------------------------

void ClientCore::handle_property_set(std::shared_ptr<InboundItem> item) {
  const InboundEnvelope& envelope = item->envelope;
  if (envelope.tid().empty()) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, "property set without tid ignored, nothing applied (no reply could be matched)");
    return;
  }
  auto setters = std::make_shared<std::vector<PropertySetter>>();
  auto plan = std::make_shared<PropertySetPlan>(plan_with_setters(envelope.data(), *setters));
  if (plan->refusal == 0) check_leaf_values(*plan);
  if (plan->refusal != 0) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    log(port::LogLevel::kWarn, {"property set ", envelope.tid(), " refused, nothing applied: ", plan->why});
    reply_error(TopicKind::kPropertySetReply, envelope, plan->refusal, plan->why);
    return;
  }
  validate_property_leaves(envelope.tid(), *plan);
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
  PropertySetReply reply;
  for (std::size_t i = 0; i < plan.leaves.size(); ++i) {
    PropertySetLeaf& leaf = plan.leaves[i];
    if (leaf.verdict == 0) {
      try {
        leaf.verdict = setters[i](*leaf.value);
      } catch (...) {
        leaf.verdict = result_code::kPropertyFailed;
      }
    }
    // The plan's paths mirror the body, whose names are unique per object, so none collides.
    reply.add(leaf.path, leaf.verdict);
  }
  std::string results;
  reply.write(results);
  const InboundEnvelope& env = item.envelope;
  std::string payload = build_message(env.tid(), env.bid(), {}, {}, -1, results);
  transmit(
      make_uplink(UplinkClass::kReply, TopicKind::kPropertySetReply, options_.gateway.sn, {}, {}, std::move(payload)));
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
