#include "json_checks.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
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

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, sizeof(word));
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) second_min = 0xa0;  // overlong
      if (lead == 0xed) second_max = 0x9f;  // UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) second_min = 0x90;  // overlong
      if (lead == 0xf4) second_max = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < second_min || bytes[i + 1] > second_max) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if ((bytes[i + k] & 0xc0u) != 0x80u) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string_view clipped(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  // Never cut inside a UTF-8 sequence: step back to the byte that starts one.
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xc0u) == 0x80u) --limit;
  return text.substr(0, limit);
}

}  // namespace docklink::detail
