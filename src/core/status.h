// Status and Result<T>: how every GovShield function reports a recoverable failure.
//
// Modelled on LevelDB's Status (an OK status is a null pointer and costs no allocation) and
// Abseil's StatusOr. The data plane never throws; third-party exceptions are caught in the
// one adapter that wraps the library and turned into a Status there.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gs {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // caller passed something malformed (bad flag, bad config value)
  kNotFound,            // file, record, key not there
  kAlreadyExists,       // create over something that exists
  kPermissionDenied,    // OS refused, or policy refused
  kFailedPrecondition,  // system not in the state the operation needs
  kOutOfRange,          // index/sequence beyond what exists
  kDataLoss,            // stored data is corrupt or was tampered with
  kIoError,             // the OS reported an I/O failure
  kUnavailable,         // transient: try again later
  kDeadlineExceeded,    // timed out
  kResourceExhausted,   // limit hit (size, count, memory)
  kUnimplemented,       // feature not supported (names what)
  kInternal,            // broken invariant
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }

  // "CODE: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "context: message". OK stays OK.
  Status WithContext(std::string_view context) const;

  // Marks a status as deliberately ignored.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // shared: copies are cheap and immutable
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status PermissionDeniedError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status DataLossError(std::string message);
Status IoError(std::string message);
Status UnavailableError(std::string message);
Status DeadlineExceededError(std::string message);
Status ResourceExhaustedError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);

// An IoError whose message ends with strerror(err).
Status ErrnoError(std::string_view what, int err);

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok())
      v_ = Status(StatusCode::kInternal, "Result built from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gs

#define GS_INTERNAL_CONCAT_(a, b) a##b
#define GS_INTERNAL_CONCAT(a, b) GS_INTERNAL_CONCAT_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define GS_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    ::gs::Status gs_status_tmp_ = (expr);            \
    if (!gs_status_tmp_.ok()) return gs_status_tmp_; \
  } while (0)

// `GS_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its Status.
#define GS_ASSIGN_OR_RETURN(lhs, expr) \
  GS_INTERNAL_ASSIGN_OR_RETURN(GS_INTERNAL_CONCAT(gs_result_, __LINE__), lhs, expr)
#define GS_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
