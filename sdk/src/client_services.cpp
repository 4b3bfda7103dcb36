// Services and property set: duplicate-tid cache, validation, handler dispatch on the user strand, replies.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"

namespace docklink::detail {

void ClientCore::handle_service(std::shared_ptr<InboundItem> item) {
  const InboundEnvelope& envelope = item->envelope;
  std::string tid(envelope.tid());
  if (tid.empty() || envelope.method().empty()) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"service without tid or method ignored (no reply can be matched)"});
    return;
  }
  std::string cached;
  ServiceHandler handler;
  {
    Lock lock(*this);
    TidCache::Seen seen = tids_.lookup(tid, now_ms(), &cached);
    if (seen != TidCache::Seen::kNew) ++counters_.duplicates;
    if (seen == TidCache::Seen::kInProgress) return;  // its reply is on the way
    if (seen == TidCache::Seen::kNew) {
      tids_.begin(tid, now_ms());
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

  auto answer = [this, item](ServiceReply reply, bool job) {
    std::string data;
    if (job && reply.result == 0 && reply.output_json.empty()) reply.output_json = R"({"status":"in_progress"})";
    encode_result_data(reply.result, reply.output_json, reply.flat_json, data);
    const InboundEnvelope& env = item->envelope;
    std::string payload = build_message(env.tid(), env.bid(), env.method(), {}, -1, data);
    {
      Lock lock(*this);
      tids_.complete(std::string(env.tid()), payload);
      if (reply.result != 0) ++counters_.error_replies;
    }
    transmit(make_uplink(UplinkClass::kReply, TopicKind::kServicesReply, options_.gateway.sn, {},
                         std::string(env.method()), std::move(payload)));
  };

  std::string message;
  std::int32_t verdict = 0;
  if (options_.validator != nullptr) {
    verdict = options_.validator->validate_service(envelope.method(), envelope.data(), message);
  }
  if (verdict == 0 && !handler) {
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
    log(port::LogLevel::kWarn, {"rejected service ", envelope.method(), ": ", message});
    answer(ServiceReply::error(verdict), false);
    return;
  }

  std::weak_ptr<ClientCore> weak = shared_from_this();
  run_user([this, item, handler, answer, weak] {
    const InboundEnvelope& env = item->envelope;
    bool job_started = false;
    ServiceCall call(env.method(), env.tid(), env.bid(), env.data(), [&job_started, &env, weak] {
      auto state = std::make_shared<JobState>();
      state->core = weak;
      state->method = std::string(env.method());
      state->bid = std::string(env.bid());
      job_started = true;
      return Job(state);
    });
    ServiceReply reply;
    try {
      reply = handler(call);
    } catch (...) {
      // A throwing handler must not take the dispatcher thread down; the cloud hears that the command failed.
      log(port::LogLevel::kError, {"service handler threw: ", env.method()});
      reply = ServiceReply::error(result_code::kCommandFailed);
    }
    answer(std::move(reply), job_started);
  });
}

namespace {

struct Leaf {
  std::string path;
  const rapidjson::Value* value;
  std::int32_t verdict;
  PropertySetter setter;
};

}  // namespace

void ClientCore::handle_property_set(std::shared_ptr<InboundItem> item) {
  const rapidjson::Value& data = item->envelope.data();
  if (!data.IsObject() || data.MemberCount() == 0) {
    reply_error(TopicKind::kPropertySetReply, item->envelope, result_code::kInvalidParameter,
                "property set without properties");
    return;
  }
  auto leaves = std::make_shared<std::vector<Leaf>>();
  {
    Lock lock(*this);
    const auto& setters =
        *&setters_;  // read by the walk below, under this lock (a lambda hides that from the analysis)
    // Walk the object: a key is a leaf when it has a setter or when no setter lives below it.
    std::function<void(const rapidjson::Value&, const std::string&)> walk = [&](const rapidjson::Value& object,
                                                                                const std::string& prefix) {
      for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
        std::string path = prefix + std::string(member->name.GetString(), member->name.GetStringLength());
        auto setter = setters.find(path);
        if (setter == setters.end() && member->value.IsObject() && member->value.MemberCount() > 0) {
          bool nested = false;
          for (const auto& known : setters) nested = nested || known.first.compare(0, path.size() + 1, path + ".") == 0;
          if (nested) {
            walk(member->value, path + ".");
            continue;
          }
        }
        Leaf leaf{path, &member->value, 0, {}};
        if (setter == setters.end()) {
          leaf.verdict = result_code::kInvalidParameter;
        } else {
          leaf.setter = setter->second;
        }
        leaves->push_back(std::move(leaf));
      }
    };
    walk(data, "");
  }
  for (auto& leaf : *leaves) {
    std::string message;
    if (leaf.verdict == 0 && options_.validator != nullptr) {
      leaf.verdict = options_.validator->validate_property(leaf.path, *leaf.value, message);
    }
    if (leaf.verdict != 0) {
      Lock lock(*this);
      ++counters_.malformed;
      log_locked(port::LogLevel::kWarn, {"rejected property ", leaf.path, message.empty() ? "" : ": ", message});
    }
  }

  run_user([this, item, leaves] {
    rapidjson::Document reply(rapidjson::kObjectType);
    auto& alloc = reply.GetAllocator();
    for (auto& leaf : *leaves) {
      if (leaf.verdict == 0) {
        try {
          leaf.verdict = leaf.setter(*leaf.value);
        } catch (...) {
          leaf.verdict = result_code::kPropertyFailed;
        }
      }
      // Rebuild the nesting: {"a":{"b":{"result":0}}} for path "a.b".
      rapidjson::Value* node = &reply;
      std::size_t start = 0;
      for (;;) {
        std::size_t dot = leaf.path.find('.', start);
        std::string key = leaf.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        auto found = node->FindMember(rapidjson::StringRef(key.data(), key.size()));
        if (found == node->MemberEnd()) {
          node->AddMember(rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc),
                          rapidjson::Value(rapidjson::kObjectType), alloc);
          found = node->MemberEnd() - 1;
        }
        node = &found->value;
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      node->AddMember("result", leaf.verdict, alloc);
    }
    std::string results = json_text(reply);
    const InboundEnvelope& env = item->envelope;
    std::string payload = build_message(env.tid(), env.bid(), {}, {}, -1, results);
    transmit(make_uplink(UplinkClass::kReply, TopicKind::kPropertySetReply, options_.gateway.sn, {}, {},
                         std::move(payload)));
  });
}

// ---- jobs -------------------------------------------------------------------------------------------------

Status ClientCore::publish_job_event(JobState& job, const JobProgress& progress) {
  if (job.finished.load()) return Status(StatusCode::kInvalidArgument, "job already finished");
  if (is_terminal(progress.status)) job.finished.store(true);
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
  EventOptions options;
  options.need_reply = options_.job_events_need_reply;
  options.bid = job.bid;
  return publish_event(job.method, std::string_view(buffer.GetString(), buffer.GetSize()), options, {});
}

}  // namespace docklink::detail
