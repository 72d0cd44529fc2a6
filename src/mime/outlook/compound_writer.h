#pragma once
// A small writer of Compound File Binary (MS-CFB version 3, 512-byte sectors) files, used to write an embedded
// Outlook message out as a standalone .msg so that it can be hashed and saved like any other attachment.
//
// Contract: the output is a deterministic function of the tree (no timestamps, zero CLSIDs), so the same embedded
// message always hashes the same. Sibling trees are balanced binary trees in CFB name order, all nodes black.
// Errors: kParamInvalid for a name longer than 31 UTF-16 units or an empty name; kSizeLimit when the file would
// exceed outlook_limits.h's kMaxCompoundFileBytes.

#include <string>
#include <vector>

#include "core/result.h"
#include "mime/outlook/compound_file.h"

namespace emailv2::mime::outlook {

struct CfbNode {
  std::string name;  // UTF-8; at most 31 UTF-16 code units
  bool is_storage = false;
  std::string data;               // streams only
  std::vector<CfbNode> children;  // storages only
};

// Writes a compound file whose root storage holds `root.children` (root's own name is ignored).
Result<std::string> write_compound_file(const CfbNode& root);

// Reads a storage of an open compound file, with every stream under it, into a tree. Fails when a stream read
// fails. Nesting is already capped by CompoundFile.
Result<CfbNode> copy_storage(const CompoundFile& file, const CfbEntry& storage);

}  // namespace emailv2::mime::outlook
