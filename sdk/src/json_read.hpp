// Reading members of parsed JSON whose shape is not trusted: a missing member, a member of another type and a value
// that is not an object all read as empty, never as an assertion inside RapidJSON.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace docklink::detail {

/// The string member `name` of `object`, whole (a \u0000 inside it included), as a view into `object`; empty when
/// `object` is not an object or has no string member of that name.
inline std::string_view string_member_view(const rapidjson::Value& object, const char* name) noexcept {
  if (!object.IsObject()) return {};
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return std::string_view(member->value.GetString(), member->value.GetStringLength());
}

/// string_member_view(), copied.
inline std::string string_member(const rapidjson::Value& object, const char* name) {
  return std::string(string_member_view(object, name));
}

}  // namespace docklink::detail
