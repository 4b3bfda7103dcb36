// Current property values of one device, and what to send: OSD snapshots by group and changed state groups.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/export.hpp"
#include "docklink/status.hpp"
#include "docklink/thing/thing_model.hpp"

namespace docklink::thing {

/// One state message to send: a group's name and its `data` object.
struct StateGroupUpdate {
  std::string group;  ///< The model's state_group, e.g. "firmware".
  std::string json;   ///< JSON object with every property of the group that has a value.
};

/// Holds the current property values of one device (dock or aircraft), validated against its model.
/// Thread-safe: setters and the compose functions may run on different threads.
class DOCKLINK_API PropertyStore {
 public:
  /// compose_osd() group value that selects every OSD property.
  static constexpr int kAllOsdGroups = -1;

  /// A store for a device of this model (the model is shared, read-only).
  explicit PropertyStore(std::shared_ptr<const ThingModel> model);

  /// The model the store checks values against.
  const ThingModel& model() const noexcept { return *model_; }

  /// Sets the value at `path` ("prop" or "prop.field"), after checking it against the model (kNotFound for an
  /// unknown property or field, kInvalidArgument for a value that does not fit). Missing parent objects are
  /// created. A JSON true/false where the model marks the boolean `"wire": "int"` is kept, and so sent, as 1/0
  /// (docs/protocol.md#quirk-booleans); other values are kept as given.
  Status set(std::string_view path, const rapidjson::Value& value);
  /// set() for an integer (also for enums and 0/1 booleans).
  Status set_int(std::string_view path, std::int64_t value);
  /// set() for a floating-point number.
  Status set_double(std::string_view path, double value);
  /// set() for a boolean: JSON true/false, or 1/0 where the model marks it `"wire": "int"`.
  Status set_bool(std::string_view path, bool value);
  /// set() for a string.
  Status set_text(std::string_view path, std::string_view value);
  /// Parses `json` and calls set(); for structs and arrays.
  Status set_json(std::string_view path, std::string_view json);
  /// Applies every leaf of a property/set body (same shape as property/set data); all or nothing.
  Status apply(const rapidjson::Value& data);

  /// The current value at `path` as JSON text; kNotFound when unset.
  Result<std::string> get_json(std::string_view path) const;
  /// True when the property at `path` has a value.
  bool has(std::string_view path) const;

  /// Writes the OSD `data` object for one OSD group (0-based; docks have 3, aircraft 1) or for kAllOsdGroups.
  /// Only properties that have a value are written. Returns how many were written.
  Result<int> compose_osd(int group, std::string& out_json) const;

  /// The state groups with a value that changed since the previous call (or since creation), each as one JSON
  /// object with all of the group's current values, so that state goes out only for changed groups.
  std::vector<StateGroupUpdate> take_changed_state_groups();
  /// Marks every state group that has a value as changed (e.g. after a reconnect, to resend everything).
  void mark_all_state_groups_changed();
  /// Marks the state group of the property at `path` ("prop" or "prop.field") as changed, so that the next
  /// take_changed_state_groups() sends it even if no value changed (e.g. to confirm a property/set that kept the
  /// value). kNotFound for an unknown property or one without a value, kInvalidArgument for an OSD property.
  Status mark_state_group_changed(std::string_view path);

 private:
  Status set_locked(std::string_view path, const rapidjson::Value& value);
  std::string compose_group(const std::string& group) const;

  std::shared_ptr<const ThingModel> model_;
  mutable std::mutex mutex_;  // guards everything below
  rapidjson::Document values_;
  std::set<std::string> changed_groups_;
};

}  // namespace docklink::thing
