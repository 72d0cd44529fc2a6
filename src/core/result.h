#pragma once
// Errors are values: every fallible function returns Result<T> (tl::expected; g++ 12 has no std::expected).

#include <tl/expected.hpp>

#include "core/error.h"

namespace emailv2 {

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string detail) {
  return tl::unexpected<Error>(Error(code, std::move(detail)));
}
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

inline Status ok() { return {}; }

}  // namespace emailv2

// Propagates the error of a Result-returning expression; otherwise evaluates to nothing.
#define EMAILV2_TRY(expr)                                                       \
  do {                                                                          \
    auto emailv2_try_result_ = (expr);                                          \
    if (!emailv2_try_result_) return ::tl::unexpected(emailv2_try_result_.error()); \
  } while (false)
