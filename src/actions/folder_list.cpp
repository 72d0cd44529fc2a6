#include "actions/folder_list.h"

#include <algorithm>

#include "core/text.h"

namespace emailv2::actions::mailbox {

bool same_folder(std::string_view a, std::string_view b) {
  if (a == b) return true;
  return text::iequals_ascii(a, "INBOX") && text::iequals_ascii(b, "INBOX");
}

std::vector<std::string> unique_folders(const std::vector<std::string>& folders) {
  std::vector<std::string> out;
  for (const auto& f : folders) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const std::string& o) { return same_folder(o, f); });
    if (!seen) out.push_back(f);
  }
  return out;
}

Status check_folders(mail::MailStore& store, const std::vector<std::string>& folders, mail::Access access,
                     Deadline deadline) {
  for (const auto& folder : folders) {
    auto opened = store.open_folder(folder, access, deadline);
    if (!opened) return fail(opened.error());
  }
  return ok();
}

}  // namespace emailv2::actions::mailbox
