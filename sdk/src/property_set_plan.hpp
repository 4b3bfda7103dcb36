// Which values of a property/set body are written, and by which setter: the rules of a property set in one
// place. The body is walked once, under bounds, so that a hostile set costs little and its reply (written by
// PropertySetReply with the same paths) can never name a key twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace docklink::detail {

/// Where the client has setters, relative to one dotted key.
enum class SetterAt : std::uint8_t {
  kNone,   ///< No setter at the key or below it.
  kHere,   ///< A setter for exactly this key.
  kBelow,  ///< No setter here, but one for a longer key below it ("a.b" for "a").
};

/// One value of the set.
struct PropertySetLeaf {
  std::vector<std::string_view> path;  ///< Member names from data down to the leaf (views into the body).
  std::string key;                     ///< The names joined with '.': the key its setter is registered under.
  const rapidjson::Value* value = nullptr;
  std::int32_t verdict = 0;  ///< 0: to be written by its setter; else the leaf's result code.
  std::string why;           ///< Why the verdict is not 0 (for the log).
};

/// What to do with a property set.
struct PropertySetPlan {
  std::vector<PropertySetLeaf> leaves;  ///< In body order; empty when refused.
  std::int32_t refusal = 0;             ///< Non-zero: the whole set is refused with this result; nothing applies.
  std::string why;                      ///< Why it was refused.
};

/// Walks the set's `data`. A member is a leaf when a setter has its key, or when no setter lies below it, or
/// when it is not a non-empty object; otherwise its members are walked. Leaves without a setter, and members
/// whose name holds a '.' or is empty (never a property or field name, and they would make keys ambiguous), get
/// 325001. The whole set is refused (325001) when data is not a non-empty object, has more than `max_leaves`
/// leaves, or names a member twice in one object. Visits at most max_leaves + 1 members, so the cost is bounded
/// whatever the body holds. `setter_at` is called once per member visited.
PropertySetPlan plan_property_set(const rapidjson::Value& data, std::size_t max_leaves,
                                  const std::function<SetterAt(const std::string& key)>& setter_at);

/// The checks of the leaves' values, made without any lock: a value naming a member twice refuses the whole set
/// (the setter could not know which one is meant); a value holding a number that is not finite gets 325001.
void check_leaf_values(PropertySetPlan& plan);

}  // namespace docklink::detail
