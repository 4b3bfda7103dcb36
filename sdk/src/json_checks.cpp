#include "json_checks.hpp"

#include <cmath>
#include <unordered_set>

namespace docklink::detail {
namespace {

std::string_view name_of(const rapidjson::Value::ConstMemberIterator& member) {
  return std::string_view(member->name.GetString(), member->name.GetStringLength());
}

/// Repeated names among the members of one object (not below it).
bool repeats_a_name(const rapidjson::Value& object) {
  // Small objects (nearly all of them) are compared pairwise, which allocates nothing.
  constexpr rapidjson::SizeType kPairwiseUpTo = 16;
  if (object.MemberCount() <= kPairwiseUpTo) {
    for (auto outer = object.MemberBegin(); outer != object.MemberEnd(); ++outer) {
      for (auto inner = outer + 1; inner != object.MemberEnd(); ++inner) {
        if (name_of(outer) == name_of(inner)) return true;
      }
    }
    return false;
  }
  std::unordered_set<std::string_view> names;
  names.reserve(object.MemberCount());
  for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
    if (!names.insert(name_of(member)).second) return true;
  }
  return false;
}

}  // namespace

bool has_repeated_member(const rapidjson::Value& value) {
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (has_repeated_member(element)) return true;
    }
    return false;
  }
  if (!value.IsObject()) return false;
  if (repeats_a_name(value)) return true;
  for (const auto& member : value.GetObject()) {
    if (has_repeated_member(member.value)) return true;
  }
  return false;
}

bool has_non_finite_number(const rapidjson::Value& value) {
  if (value.IsDouble()) return !std::isfinite(value.GetDouble());
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (has_non_finite_number(element)) return true;
    }
    return false;
  }
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      if (has_non_finite_number(member.value)) return true;
    }
  }
  return false;
}

std::string_view clipped(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  // Never cut inside a UTF-8 sequence: step back to the byte that starts one.
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xc0u) == 0x80u) --limit;
  return text.substr(0, limit);
}

}  // namespace docklink::detail
