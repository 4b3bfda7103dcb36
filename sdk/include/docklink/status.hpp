// Status and Result<T>: the only way DockLink reports errors across its public API (no exceptions).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "docklink/export.hpp"

namespace docklink {

/// Category of an SDK-level error. Protocol result codes (DJI's six-digit codes) are separate: see
/// result_codes.hpp.
enum class StatusCode : std::uint8_t {
  kOk = 0,           ///< Success.
  kInvalidArgument,  ///< A caller-supplied value is malformed or out of range.
  kMalformed,        ///< Inbound data could not be decoded (bad JSON, wrong type, too large, too deep).
  kNotFound,         ///< No such handler, device, key or pending request.
  kNotConnected,     ///< The operation needs a connection and there is none.
  kTimeout,          ///< A deadline passed before the operation completed.
  kRejected,         ///< The peer answered with a non-zero protocol result.
  kBusy,             ///< A bounded resource (queue, window) is full; retry later.
  kIo,               ///< The OS or network failed (socket, file, TLS handshake).
  kAuth,             ///< The broker refused the credentials or the TLS peer failed verification.
  kShutdown,         ///< The object is stopping or stopped.
  kInternal,         ///< A bug or an unexpected dependency failure.
};

/// Returns a stable lower-case name for a status code, e.g. "timeout".
DOCKLINK_API const char* to_string(StatusCode code) noexcept;

/// The outcome of an operation: a code plus a human-readable message (never containing secrets).
/// [[nodiscard]]: an error dropped on the floor is a bug; discard one on purpose with static_cast<void>(...) and
/// a comment saying why that is safe.
class [[nodiscard]] Status {
 public:
  /// Success.
  Status() noexcept = default;
  /// An error (or success when code is kOk) with an explanation.
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  /// Shorthand for success.
  static Status ok() noexcept { return Status(); }

  /// True when the operation succeeded.
  bool is_ok() const noexcept { return code_ == StatusCode::kOk; }
  /// Same as is_ok(), so a Status can be tested in an if.
  explicit operator bool() const noexcept { return is_ok(); }
  /// The error category.
  StatusCode code() const noexcept { return code_; }
  /// What went wrong, for people; empty on success.
  const std::string& message() const noexcept { return message_; }
  /// "code: message", for logs. (Exported here: GCC accepts no visibility attribute beside [[nodiscard]] on
  /// the class, and this is the class's only out-of-line member.)
  DOCKLINK_API std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value or the Status explaining why there is none; [[nodiscard]] like Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  /// A successful result holding value.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor): natural return
  /// A failed result; status must not be ok.
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.is_ok()) status_ = Status(StatusCode::kInternal, "Result built from an ok Status without value");
  }

  /// True when a value is present.
  bool is_ok() const noexcept { return status_.is_ok(); }
  /// Same as is_ok().
  explicit operator bool() const noexcept { return is_ok(); }
  /// The status (ok when a value is present).
  const Status& status() const noexcept { return status_; }
  /// The value; only valid when is_ok().
  T& value() & noexcept { return value_; }
  /// The value; only valid when is_ok().
  const T& value() const& noexcept { return value_; }
  /// Moves the value out; only valid when is_ok(). Returns by value so that `for (auto& x : f().value())`
  /// does not dangle.
  T value() && { return std::move(value_); }

 private:
  T value_{};
  Status status_;
};

}  // namespace docklink
