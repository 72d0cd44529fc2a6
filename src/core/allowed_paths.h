#pragma once
// The "Allowed Paths" rule of CONTRACT §2 [add]: when the integration sets Allowed Paths, every local path an action
// reads or writes (attachment paths of the sending actions, Download Path) must resolve — after symlinks, relative
// paths against the working directory — inside one of the listed directories. "Inside" is separator-aware:
// /data/in/x is inside /data/in, /data/inbox/x is not.
//
// Pure apart from resolving symlinks (std::filesystem::weakly_canonical: the path need not exist; the existing
// prefix is resolved, the rest is normalised lexically). Nothing is opened or created.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::allowed_paths {

// True when `path` equals `dir` or lies below it, comparing whole components. Both must already be normalised
// absolute paths (lexically_normal; trailing separators are ignored).
bool is_within(const std::filesystem::path& path, const std::filesystem::path& dir);

// `path` resolved as above (absolute, symlinks followed, `.`/`..` folded). IO_ERROR "cannot resolve path <p>: <why>"
// when the filesystem refuses (e.g. a component that is not a directory).
Result<std::filesystem::path> resolve(const std::filesystem::path& path);

// The resolved `path` when `allowed` is empty or when it lies inside one of the (resolved) `allowed` directories;
// else PATH_NOT_ALLOWED `<what> "<path>" resolves to "<resolved>", which is outside Allowed Paths` (values echoed
// with control characters escaped). `what` names the value, e.g. "Attachment path".
Result<std::filesystem::path> check(const std::filesystem::path& path, const std::vector<std::string>& allowed,
                                    std::string_view what);

}  // namespace emailv2::allowed_paths
