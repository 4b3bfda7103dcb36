// Writes the simulator's values into a thing::PropertyStore, each property named by its generated descriptor
// (docklink/generated/<product>_properties.hpp): the key comes from the thing model, the store checks the value
// against it, and a value that does not fit is counted instead of sent. OSD and state go the same way: the store
// composes the OSD messages and the state groups (docs/protocol.md#state-groups) from what was written.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "docklink/thing/property_store.hpp"
#include "docklink/thing/typed_store.hpp"

namespace docklink::sim {

/// Stores `value` (a simulator int) in an optional generated field of integer or enum type.
template <class T>
void put_code(std::optional<T>& field, std::int64_t value) {
  field = static_cast<T>(value);
}

/// Writes into one device's PropertyStore by descriptor; remembers the first write the model refused.
class StoreWriter {
 public:
  /// What writing a state property does to its state group.
  enum class StateWrites : std::uint8_t {
    kOnChange,  ///< The group goes out when one of its values changed (the store's own rule).
    kReport,    ///< The group goes out even when its values are the same: the simulator reports it now.
  };

  /// Writes into `store` (not owned; outlives the writer).
  explicit StoreWriter(thing::PropertyStore& store, StateWrites state = StateWrites::kOnChange)
      : store_(store), report_(state == StateWrites::kReport) {}

  /// Sets the property to `value`, of the descriptor's generated type.
  template <class Descriptor>
  StoreWriter& set(const typename Descriptor::Value& value) {
    return note<Descriptor>(thing::set_property<Descriptor>(store_, value));
  }
  /// Sets an integer or enum property from the simulator's int.
  template <class Descriptor>
  StoreWriter& code(std::int64_t value) {
    static_assert(!std::is_same_v<typename Descriptor::Value, bool>, "booleans go through flag()");
    return set<Descriptor>(static_cast<typename Descriptor::Value>(value));
  }
  /// Sets a boolean property as 0 or 1 whatever the model's `wire` says. set() already writes 0/1 for a boolean the
  /// model marks `"wire": "int"` (docs/protocol.md#quirk-booleans); this is for camera_watermark_settings, which the
  /// simulator has always reported as 0/1 and whose encoding in DJI's examples is not yet checked.
  template <class Descriptor>
  StoreWriter& flag(bool on) {
    static_assert(std::is_same_v<typename Descriptor::Value, bool>, "flag() is for boolean properties");
    return note<Descriptor>(store_.set_int(Descriptor::kPath, on ? 1 : 0));
  }
  /// Sets a number property rounded to `decimals` places (what the OSD shows).
  template <class Descriptor>
  StoreWriter& real(double value, int decimals) {
    double scale = std::pow(10.0, decimals);
    return set<Descriptor>(std::round(value * scale) / scale);
  }
  /// Sets a number property as a JSON integer when `value` is whole (120, not 120.0), else rounded to `decimals`
  /// places: how the simulator reports lengths a cloud set and expects to see back as it sent them.
  template <class Descriptor>
  StoreWriter& whole_or_real(double value, int decimals) {
    static_assert(std::is_same_v<typename Descriptor::Value, double>, "whole_or_real() is for number properties");
    if (value != std::floor(value)) return real<Descriptor>(value, decimals);
    return note<Descriptor>(store_.set_int(Descriptor::kPath, static_cast<std::int64_t>(value)));
  }

  /// How many writes the model refused.
  int failures() const noexcept { return failures_; }
  /// The first refused write: its path and the store's reason; empty when none.
  const std::string& first_failure() const noexcept { return first_failure_; }

 private:
  // Counts a refused write; after an accepted write of a state property in kReport mode, marks its group.
  template <class Descriptor>
  StoreWriter& note(Status status) {
    if constexpr (Descriptor::kState) {
      if (status.is_ok() && report_) status = store_.mark_state_group_changed(Descriptor::kPath);
    }
    if (!status.is_ok() && failures_++ == 0) first_failure_ = std::string(Descriptor::kPath) + ": " + status.message();
    return *this;
  }

  thing::PropertyStore& store_;
  bool report_;
  int failures_ = 0;
  std::string first_failure_;
};

}  // namespace docklink::sim
