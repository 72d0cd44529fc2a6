#include "core/allowed_paths.h"

#include <system_error>

#include "core/text.h"

namespace emailv2::allowed_paths {
namespace {

std::filesystem::path without_trailing_separator(std::filesystem::path p) {
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

}  // namespace

bool is_within(const std::filesystem::path& path, const std::filesystem::path& dir) {
  const std::filesystem::path p = without_trailing_separator(path);
  const std::filesystem::path d = without_trailing_separator(dir);
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi) {
    if (di->empty()) continue;  // a root directory's trailing empty component
    if (pi == p.end() || *pi != *di) return false;
  }
  return true;
}

Result<std::filesystem::path> resolve(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (!ec) absolute = std::filesystem::weakly_canonical(absolute, ec);
  if (ec) {
    return fail(ErrorCode::kIoError,
                "cannot resolve path " + text::echo_value(path.string()) + ": " + text::echo_value(ec.message()));
  }
  return without_trailing_separator(absolute);
}

Result<std::filesystem::path> check(const std::filesystem::path& path, const std::vector<std::string>& allowed,
                                    std::string_view what) {
  auto resolved = resolve(path);
  if (!resolved) return resolved;
  if (allowed.empty()) return resolved;
  for (const std::string& dir : allowed) {
    if (dir.empty()) continue;
    auto root = resolve(dir);
    if (root && is_within(*resolved, *root)) return resolved;
  }
  return fail(ErrorCode::kPathNotAllowed, std::string(what) + " \"" + text::echo_value(path.string()) +
                                              "\" resolves to \"" + text::echo_value(resolved->string()) +
                                              "\", which is outside Allowed Paths");
}

}  // namespace emailv2::allowed_paths
