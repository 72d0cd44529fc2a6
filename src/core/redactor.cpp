#include "core/redactor.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "core/text.h"

namespace emailv2::redactor {
namespace {

constexpr std::size_t kMinSecretBytes = 3;
constexpr std::string_view kRedacted = "<redacted>";

struct Registry {
  std::mutex mutex;
  std::vector<std::string> forms;  // longest first, so a form containing another is replaced whole
};

Registry& registry() {
  static Registry r;
  return r;
}

void insert(std::string form) {
  if (form.size() < kMinSecretBytes) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (std::find(r.forms.begin(), r.forms.end(), form) != r.forms.end()) return;
  r.forms.push_back(std::move(form));
  std::sort(r.forms.begin(), r.forms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

}  // namespace

void add(std::string_view value) {
  if (value.size() < kMinSecretBytes) return;
  insert(std::string(value));
  insert(text::base64_encode(value));
  // Inside a longer payload (SASL PLAIN's "\0user\0pass") the value's base64 depends on its alignment: register,
  // for each of the three alignments, the characters that encode only bytes of the value.
  for (std::size_t pad = 0; pad <= 2; ++pad) {
    const std::string shifted = std::string(pad, '\0') + std::string(value);
    const std::string encoded = text::base64_encode(shifted);
    const std::size_t begin = pad == 0 ? 0 : 4;
    const std::size_t full_groups = shifted.size() / 3;
    const std::size_t end = full_groups * 4;
    if (end > begin + kMinSecretBytes) insert(encoded.substr(begin, end - begin));
  }
}

void add_encoded(std::string_view encoded) { insert(std::string(encoded)); }

std::string scrub(std::string_view text) {
  std::string out(text);
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& form : r.forms) {
    std::size_t pos = 0;
    while ((pos = out.find(form, pos)) != std::string::npos) {
      out.replace(pos, form.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

void clear_for_testing() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.forms.clear();
}

}  // namespace emailv2::redactor
