#pragma once
// Every hostile-input limit, named once (CONTRACT §6.3). Each is tested by a case that crosses it by one.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace emailv2::limits {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;

// Message size (RFC822.SIZE or literal); the integration's Max Message Size default, in MiB, and its range.
constexpr std::size_t kDefaultMaxMessageMiB = 50;
constexpr std::size_t kMaxMessageMiBCeiling = 2048;

// IMAP wire.
constexpr std::size_t kImapLineBytes = 1 * kMiB;            // one response line outside literals
constexpr std::size_t kImapNestingDepth = 64;               // parenthesised list depth
constexpr std::size_t kImapLiteralSlackBytes = 1 * kMiB;    // literal cap = max message size + this
constexpr std::size_t kImapResponsesPerCommand = 1'000'000; // untagged responses one command may receive
constexpr std::size_t kImapFetchBatchUids = 100;            // UIDs per content FETCH
constexpr std::size_t kImapFetchBatchBytes = 16 * kMiB;     // declared bytes per content FETCH
constexpr std::size_t kImapMetadataBatchUids = 5000;        // UIDs per metadata FETCH (~100 bytes each back)
constexpr std::size_t kImapLiteralMemoryBytes = 4 * kMiB;   // literals above this spool to a temp file
constexpr std::size_t kImapPipelineWindow = 4;              // commands in flight
constexpr std::chrono::minutes kImapIdleRestart{28};        // restart IDLE before servers' 29-minute cut

// SMTP.
constexpr std::size_t kSmtpReplyLines = 512;
constexpr std::size_t kSmtpReplyBytes = 64 * kKiB;
constexpr std::chrono::seconds kSmtpFinalDotMinWait{300};

// MIME.
constexpr std::size_t kMimeDepth = 32;
constexpr std::size_t kMimeParts = 10'000;
constexpr std::size_t kHeaderSectionBytes = 4 * kMiB;
constexpr std::size_t kAddressesPerHeader = 10'000;
constexpr std::size_t kAttachedMailDepth = 3;
constexpr std::size_t kAttachedMailsPerMessage = 50;
constexpr std::size_t kUrlsPerMessage = 1000;
constexpr std::size_t kDynamicListHits = 1000;
constexpr std::size_t kDynamicListValueBytes = 64 * kKiB;

// Regex.
constexpr std::int64_t kRegexMaxMemBytes = 8 * static_cast<std::int64_t>(kMiB);

// Parameter lists.
constexpr std::size_t kMaxFolders = 100;
constexpr std::size_t kMaxMessageIds = 1000;
constexpr std::size_t kMaxRecipients = 1000;

// Text echoed back to users.
constexpr std::size_t kEchoedValueChars = 200;   // parameter values in messages
constexpr std::size_t kServerTextChars = 300;    // server text in errors
constexpr std::size_t kTraceLiteralBytes = 256;  // literals longer than this are logged as {N bytes}

// Filesystem names (§6.4).
constexpr std::size_t kFileNameBytes = 200;

}  // namespace emailv2::limits
