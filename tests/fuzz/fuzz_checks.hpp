// What the fuzz targets that round-trip JSON (fuzz_inbound, fuzz_drc) check with: failing an input, and comparing
// a document with what was parsed again from its text.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <rapidjson/document.h>

namespace docklink::fuzz {

/// Fails the input unless `condition` holds: libFuzzer reports the input that got here.
inline void require(bool condition) {
  if (!condition) std::abort();
}

/// Structural equality that keeps member order (rapidjson's operator== looks members up by name, which is wrong
/// for duplicate keys) and allows for RapidJSON's default double parsing being off by a few ULP (the exact mode is
/// not used). Numbers compare by value whatever their representation.
inline bool same_json(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsNumber() && b.IsNumber() && (a.IsDouble() || b.IsDouble())) {
    const double x = a.GetDouble();
    const double y = b.GetDouble();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.GetType() != b.GetType()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto left = a.MemberBegin(), right = b.MemberBegin(); left != a.MemberEnd(); ++left, ++right) {
      if (left->name != right->name || !same_json(left->value, right->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace docklink::fuzz
