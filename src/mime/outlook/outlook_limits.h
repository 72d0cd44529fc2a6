#pragma once
// Hostile-input limits of the Outlook .msg (CFB) and TNEF readers, named once. core/limits.h holds the contract's
// limits (§6.3); these are the container-level caps that keep a hostile file from costing more than linear work.

#include <cstddef>
#include <cstdint>

#include "core/limits.h"

namespace emailv2::mime::outlook::limits {

// A compound file larger than this is refused before any parsing (the largest mail is Max Message Size).
constexpr std::size_t kMaxCompoundFileBytes = emailv2::limits::kMaxMessageMiBCeiling * emailv2::limits::kMiB;
// Directory entries in one compound file (each is 128 bytes; a 50 MiB file holds at most ~400k).
constexpr std::size_t kMaxDirectoryEntries = 1'000'000;
// Bytes all stream reads of one CompoundFile may return in total: this multiple of the file size plus a floor.
// A valid reader reads each stream a few times; a hostile file whose streams share one long chain is cut here.
constexpr std::size_t kReadBudgetFileMultiple = 8;
constexpr std::size_t kReadBudgetFloorBytes = 16 * emailv2::limits::kMiB;
// Depth of storages inside storages the directory walk follows.
constexpr std::size_t kMaxStorageDepth = 64;
// Embedded messages (.msg inside .msg, TNEF object inside TNEF): CONTRACT §6.3 attached-mail depth.
constexpr std::size_t kMaxEmbeddedDepth = emailv2::limits::kAttachedMailDepth;
// Recipients and attachments read from one message; more are dropped with a warning.
constexpr std::size_t kMaxRecipients = 10'000;
constexpr std::size_t kMaxAttachments = 10'000;
// Warnings kept per message; the rest are counted in one final warning.
constexpr std::size_t kMaxWarnings = 200;
// Decompressed RTF: at most this many bytes, whatever the header declares.
constexpr std::size_t kMaxRtfBytes = 64 * emailv2::limits::kMiB;
// RTF group nesting followed by the de-encapsulator; deeper groups are flattened.
constexpr std::size_t kMaxRtfDepth = 1024;
// TNEF: attributes per stream and MAPI properties per attribute.
constexpr std::size_t kMaxTnefAttributes = 100'000;
constexpr std::size_t kMaxMapiPropertiesPerAttribute = 100'000;
constexpr std::size_t kMaxMapiValuesPerProperty = 100'000;

}  // namespace emailv2::mime::outlook::limits
