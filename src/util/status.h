// Status: the one error model of deltashare.
//
// Every fallible function returns a Status (or a Result<T>, see result.h). An OK status is a
// null pointer, so success costs nothing. Errors carry a code and a human-readable message
// that names what failed ("parquet: footer length 99 exceeds file size 40"). No exception
// crosses a module boundary: third-party code that throws is wrapped in its adapter.
//
// Thread-safety: a Status is a value; copies are independent.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace ds {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed (bad flag, bad JSON, bad token)
  kNotFound,            // a named thing does not exist (file, table, share)
  kAlreadyExists,       // put-if-absent lost, or a name is taken
  kCorruption,          // stored bytes violate their format (Parquet, Delta log)
  kNotSupported,        // valid but outside what we implement (encrypted Parquet, LZO)
  kIOError,             // the OS or a remote store failed
  kPermissionDenied,    // authenticated but not allowed
  kUnauthenticated,     // missing or invalid credentials
  kOutOfRange,          // a version, offset or timestamp outside what exists
  kFailedPrecondition,  // the state does not allow the operation (commit conflict, CDF off)
  kResourceExhausted,   // a limit was hit (memory cap, rate limit)
  kUnavailable,         // transient; retrying may succeed
  kDeadlineExceeded,    // a timeout fired
  kCancelled,           // the caller gave up
  kInternal,            // a bug: an invariant did not hold
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status NotSupported(std::string msg) {
    return {StatusCode::kNotSupported, std::move(msg)};
  }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) {
    return {StatusCode::kDeadlineExceeded, std::move(msg)};
  }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // The message without the code name; empty for OK.
  const std::string& message() const;
  // "Corruption: parquet: bad magic" or "OK".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ". OK stays OK.
  Status WithContext(std::string_view context) const;

  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsNotSupported() const { return code() == StatusCode::kNotSupported; }

  // Aborts the process with the message if not OK. Only for code that has no caller to
  // report to (tests, main).
  void Abort() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

std::ostream& operator<<(std::ostream& os, const Status& s);

}  // namespace ds
