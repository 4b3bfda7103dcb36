#include "property_set_plan.hpp"

#include <algorithm>

#include "concat.hpp"
#include "docklink/result_codes.hpp"
#include "json_checks.hpp"

namespace docklink::detail {
namespace {

/// State of one walk.
struct Walk {
  std::size_t max_leaves;
  const std::function<SetterAt(const std::string&)>& setter_at;
  PropertySetPlan& plan;
  std::vector<std::string_view> path;

  bool refuse(std::string why) {
    plan.refusal = result_code::kInvalidParameter;
    plan.why = std::move(why);
    plan.leaves.clear();
    return false;
  }

  void add_leaf(const std::string& key, const rapidjson::Value& value, std::int32_t verdict, std::string why) {
    plan.leaves.push_back(PropertySetLeaf{path, key, &value, verdict, std::move(why)});
  }

  /// Walks the members of `object`, whose key is `prefix` (empty at the top). False once the set is refused.
  bool members(const rapidjson::Value& object, const std::string& prefix) {
    std::vector<std::string_view> seen;  // at most max_leaves + 1 names: every member visited adds a leaf
    for (const auto& member : object.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        return refuse(concat({"member '", clipped(name), "' given twice"}));
      }
      seen.push_back(name);
      if (plan.leaves.size() >= max_leaves) {
        return refuse(concat({"more than ", std::to_string(max_leaves), " values in one set"}));
      }
      path.push_back(name);
      const bool going_on = member_value(member.value, name, prefix);
      path.pop_back();
      if (!going_on) return false;
    }
    return true;
  }

  bool member_value(const rapidjson::Value& value, std::string_view name, const std::string& prefix) {
    const std::string key = concat({prefix, prefix.empty() ? "" : ".", name});
    if (name.empty() || name.find('.') != std::string_view::npos) {
      add_leaf(key, value, result_code::kInvalidParameter, "a member name must not be empty or hold a '.'");
      return true;
    }
    const SetterAt at = setter_at(key);
    if (at == SetterAt::kBelow && value.IsObject() && value.MemberCount() > 0) return members(value, key);
    if (at == SetterAt::kHere) {
      add_leaf(key, value, result_code::kSuccess, {});
    } else {
      add_leaf(key, value, result_code::kInvalidParameter, "no setter for it");
    }
    return true;
  }
};

}  // namespace

PropertySetPlan plan_property_set(const rapidjson::Value& data, std::size_t max_leaves,
                                  const std::function<SetterAt(const std::string& key)>& setter_at) {
  PropertySetPlan plan;
  Walk walk{max_leaves, setter_at, plan, {}};
  if (!data.IsObject() || data.MemberCount() == 0) {
    walk.refuse("property set without properties");
    return plan;
  }
  walk.members(data, std::string());
  return plan;
}

void check_leaf_values(PropertySetPlan& plan) {
  for (PropertySetLeaf& leaf : plan.leaves) {
    if (has_repeated_member(*leaf.value)) {
      plan.refusal = result_code::kInvalidParameter;
      plan.why = concat({"the value of '", clipped(leaf.key), "' names a member twice"});
      plan.leaves.clear();
      return;
    }
  }
  for (PropertySetLeaf& leaf : plan.leaves) {
    if (leaf.verdict == 0 && has_non_finite_number(*leaf.value)) {
      leaf.verdict = result_code::kInvalidParameter;
      leaf.why = "not a finite number";
    }
  }
}

}  // namespace docklink::detail
