#include "core/error.h"

#include <array>

namespace emailv2 {
namespace {

constexpr int kExitUsage = 64;
constexpr int kExitRuntime = 2;
constexpr int kExitConfig = 78;
constexpr int kExitInternal = 70;

constexpr std::array kTable{
    ErrorCodeInfo{ErrorCode::kParamMissing, "PARAM_MISSING", kExitUsage, false, "A mandatory parameter is missing"},
    ErrorCodeInfo{ErrorCode::kParamInvalid, "PARAM_INVALID", kExitUsage, false, "A parameter value is invalid"},
    ErrorCodeInfo{ErrorCode::kRegexInvalid, "REGEX_INVALID", kExitUsage, false, "A regular expression does not compile with RE2"},
    ErrorCodeInfo{ErrorCode::kPathNotAllowed, "PATH_NOT_ALLOWED", kExitUsage, false, "A path lies outside Allowed Paths"},
    ErrorCodeInfo{ErrorCode::kConfigMissing, "CONFIG_MISSING", kExitConfig, false, "Configuration is missing"},
    ErrorCodeInfo{ErrorCode::kConfigInvalid, "CONFIG_INVALID", kExitConfig, false, "Configuration is invalid"},
    ErrorCodeInfo{ErrorCode::kFolderNotFound, "FOLDER_NOT_FOUND", kExitRuntime, false, "A mailbox folder does not exist"},
    ErrorCodeInfo{ErrorCode::kDnsFailed, "DNS_FAILED", kExitRuntime, true, "A host name does not resolve"},
    ErrorCodeInfo{ErrorCode::kConnectFailed, "CONNECT_FAILED", kExitRuntime, true, "The TCP connection failed or the server refused service"},
    ErrorCodeInfo{ErrorCode::kProxyFailed, "PROXY_FAILED", kExitRuntime, true, "The proxy refused or failed the tunnel"},
    ErrorCodeInfo{ErrorCode::kTlsFailed, "TLS_FAILED", kExitRuntime, false, "TLS handshake or certificate verification failed"},
    ErrorCodeInfo{ErrorCode::kTlsRequired, "TLS_REQUIRED", kExitRuntime, false, "STARTTLS was required but is missing, refused or attacked"},
    ErrorCodeInfo{ErrorCode::kAuthFailed, "AUTH_FAILED", kExitRuntime, false, "The server rejected the credentials"},
    ErrorCodeInfo{ErrorCode::kTimeout, "TIMEOUT", kExitRuntime, true, "The server did not answer in time"},
    ErrorCodeInfo{ErrorCode::kImapNo, "IMAP_NO", kExitRuntime, true, "The IMAP server answered NO"},
    ErrorCodeInfo{ErrorCode::kImapBad, "IMAP_BAD", kExitRuntime, false, "The IMAP server answered BAD"},
    ErrorCodeInfo{ErrorCode::kImapBye, "IMAP_BYE", kExitRuntime, true, "The IMAP server closed the connection"},
    ErrorCodeInfo{ErrorCode::kProtocolError, "PROTOCOL_ERROR", kExitRuntime, true, "A malformed or oversized server response"},
    ErrorCodeInfo{ErrorCode::kSmtpRejected, "SMTP_REJECTED", kExitRuntime, false, "The SMTP server rejected the message"},
    ErrorCodeInfo{ErrorCode::kSmtputf8Unsupported, "SMTPUTF8_UNSUPPORTED", kExitRuntime, false, "SMTPUTF8 is needed but not offered"},
    ErrorCodeInfo{ErrorCode::kCapabilityMissing, "CAPABILITY_MISSING", kExitRuntime, false, "The server lacks a capability the operation needs safely"},
    ErrorCodeInfo{ErrorCode::kSizeLimit, "SIZE_LIMIT", kExitRuntime, false, "A message exceeds a size limit"},
    ErrorCodeInfo{ErrorCode::kRecipientsUnknown, "RECIPIENTS_UNKNOWN", kExitRuntime, false, "The recipients of a sent message are unknown"},
    ErrorCodeInfo{ErrorCode::kUidvalidityUnstable, "UIDVALIDITY_UNSTABLE", kExitRuntime, false, "A folder's UIDVALIDITY keeps changing"},
    ErrorCodeInfo{ErrorCode::kIoError, "IO_ERROR", kExitRuntime, false, "A local read or write failed"},
    ErrorCodeInfo{ErrorCode::kStoreBusy, "STORE_BUSY", kExitRuntime, true, "The case store stayed locked past the timeout"},
    ErrorCodeInfo{ErrorCode::kStoreError, "STORE_ERROR", kExitRuntime, true, "The case store failed (I/O, disk full)"},
    ErrorCodeInfo{ErrorCode::kStoreCorrupt, "STORE_CORRUPT", kExitRuntime, false, "The case store file is corrupt"},
    ErrorCodeInfo{ErrorCode::kDeadline, "DEADLINE", kExitRuntime, true, "The run's wall-clock limit was reached"},
    ErrorCodeInfo{ErrorCode::kInternal, "INTERNAL", kExitInternal, false, "An unexpected internal error (a bug)"},
};

}  // namespace

const ErrorCodeInfo& info(ErrorCode code) {
  return kTable.at(static_cast<size_t>(code));
}

std::string_view name(ErrorCode code) { return info(code).name; }

bool parse_error_code(std::string_view text, ErrorCode& out) {
  for (const auto& row : kTable) {
    if (row.name == text) {
      out = row.code;
      return true;
    }
  }
  return false;
}

std::string Error::to_string() const {
  std::string out(name(code_));
  out += ": ";
  out += detail_;
  return out;
}

}  // namespace emailv2
