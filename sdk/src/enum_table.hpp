// A constant table with one row per value of an enum, in the enum's order, so that a value indexes its own row: the
// topic tables of both profiles are built this way. Each row has a member `kind` holding its value.
#pragma once

#include <array>
#include <cstddef>

namespace docklink::detail {

/// True when row i of `rows` is the row of the enum value i, for every row (for a static_assert).
template <typename Row, std::size_t N>
constexpr bool rows_in_enum_order(const std::array<Row, N>& rows) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(rows[i].kind) != i) return false;
  }
  return true;
}

/// The row of `kind`, or nullptr when the value has none.
template <typename Row, std::size_t N, typename Kind>
const Row* row_of(const std::array<Row, N>& rows, Kind kind) noexcept {
  const auto index = static_cast<std::size_t>(kind);
  return index < N ? &rows[index] : nullptr;
}

}  // namespace docklink::detail
