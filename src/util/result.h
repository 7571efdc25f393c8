// Result<T>: a value or an error Status. The companion of status.h.
//
//   Result<Footer> r = ReadFooter(file);
//   if (!r.ok()) return r.status();
//   Footer f = std::move(r).value();
//
// or, inside a function returning Status or Result<U>:
//   ASSIGN_OR_RETURN(Footer f, ReadFooter(file));
//   RETURN_NOT_OK(Validate(f));
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "util/status.h"

namespace ds {

template <typename T>
class [[nodiscard]] Result {
 public:
  using ValueType = T;

  // An error. Passing an OK status is a bug and becomes an Internal error.
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status");
  }
  Result(const T& value) : value_(value) {}        // NOLINT(google-explicit-constructor)
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                                    !std::is_same_v<std::decay_t<U>, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  // Returns the value, or `fallback` on error.
  T ValueOr(T fallback) && { return ok() ? std::move(*value_) : std::move(fallback); }
  // Returns the value or aborts with the error (tests and main only).
  T ValueOrDie() && {
    status_.Abort();
    return std::move(*value_);
  }

 private:
  Status status_;
  std::optional<T> value_;
};

namespace internal {
inline const Status& ToStatus(const Status& s) { return s; }
inline Status ToStatus(Status&& s) { return std::move(s); }
template <typename T>
const Status& ToStatus(const Result<T>& r) {
  return r.status();
}
template <typename T>
Status ToStatus(Result<T>&& r) {
  return std::move(r).status();
}
}  // namespace internal

}  // namespace ds

#define DS_CONCAT_INNER(a, b) a##b
#define DS_CONCAT(a, b) DS_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Status or a Result) from the enclosing function.
#define RETURN_NOT_OK(expr)                                     \
  do {                                                          \
    ::ds::Status _ds_status = ::ds::internal::ToStatus((expr)); \
    if (!_ds_status.ok()) return _ds_status;                    \
  } while (false)

// Like RETURN_NOT_OK, but prefixes the error message with `context`.
#define RETURN_NOT_OK_CTX(expr, context)                          \
  do {                                                            \
    ::ds::Status _ds_status = ::ds::internal::ToStatus((expr));   \
    if (!_ds_status.ok()) return _ds_status.WithContext(context); \
  } while (false)

#define DS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                             \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()

// Evaluates `rexpr` (a Result); on error returns it, else assigns the value to `lhs`
// (which may be a declaration: `ASSIGN_OR_RETURN(auto x, F());`).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  DS_ASSIGN_OR_RETURN_IMPL(DS_CONCAT(_ds_result_, __LINE__), lhs, rexpr)
