#pragma once
// Error codes of CONTRACT §6.1 and the one table that maps each to its JSON name, exit code and retryability.

#include <string>
#include <string_view>

namespace emailv2 {

enum class ErrorCode {
  kParamMissing,
  kParamInvalid,
  kRegexInvalid,
  kPathNotAllowed,
  kConfigMissing,
  kConfigInvalid,
  kFolderNotFound,
  kDnsFailed,
  kConnectFailed,
  kProxyFailed,
  kTlsFailed,
  kTlsRequired,
  kAuthFailed,
  kTimeout,
  kImapNo,
  kImapBad,
  kImapBye,
  kProtocolError,
  kSmtpRejected,
  kSmtputf8Unsupported,
  kCapabilityMissing,
  kSizeLimit,
  kRecipientsUnknown,
  kUidvalidityUnstable,
  kIoError,
  kStoreBusy,
  kStoreError,
  kStoreCorrupt,
  kDeadline,
  kInternal,
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;         // JSON `error_code` and the `<CODE>` of `{error}`, e.g. "AUTH_FAILED"
  int exit_code;                 // process exit code when this error ends an action (§1.4)
  bool retryable;                // whether trying again later can help (connector backoff reads this)
  std::string_view description;  // what the code means, for help text and docs
};

const ErrorCodeInfo& info(ErrorCode code);
std::string_view name(ErrorCode code);
// Looks a code up by its JSON name; returns false when unknown.
bool parse_error_code(std::string_view name, ErrorCode& out);

class Error {
 public:
  Error(ErrorCode code, std::string detail) : code_(code), detail_(std::move(detail)) {}

  ErrorCode code() const { return code_; }
  const std::string& detail() const { return detail_; }
  int exit_code() const { return info(code_).exit_code; }
  bool retryable() const { return info(code_).retryable; }
  // `<CODE>: <detail>` — the `{error}` expansion of the output-message templates.
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string detail_;
};

}  // namespace emailv2
